"""The demo's media files, generated here rather than kept in the repository: covers
(JPEG), hand-outs and document originals (PDF), chimes (MP3) and clips (MP4), drawn with
Pillow and encoded with PyAV. ``site/data/demo/media.jsonl`` says which files to make
(``file``, ``make``, ``palette``, ``seed``); the records name them as an import's
``--media-dir`` files. Same seed, same bytes: a second load finds the same files."""

import io
import json
import math
import random
import struct
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw

from pioneer import compat

PALETTES = {
    "theory": ((155, 28, 28), (241, 196, 83)),
    "skills": ((46, 125, 50), (205, 220, 57)),
    "culture": ((106, 27, 154), (255, 183, 77)),
    "education": ((21, 101, 192), (129, 212, 250)),
    "response": ((230, 81, 0), (255, 236, 179)),
    "news": ((69, 90, 100), (207, 216, 220)),
}


def cover_bytes(palette_key, seed, size=(960, 540)):
    """A JPEG drawn with Pillow: a landscape of fields under a sun, no text."""
    rng = random.Random(seed)
    dark, light = PALETTES.get(palette_key, PALETTES["news"])
    width, height = size
    canvas = PILImage.new("RGB", size, light)
    draw = ImageDraw.Draw(canvas)
    for row in range(height // 2, height, 18):  # furrows of a field
        shade = tuple(int(c * (0.55 + 0.45 * (row - height / 2) / (height / 2))) for c in dark)
        draw.rectangle([0, row, width, row + 10], fill=shade)
    sun_x, sun_r = rng.randint(width // 5, width * 4 // 5), rng.randint(50, 90)
    draw.ellipse([sun_x - sun_r, 60, sun_x + sun_r, 60 + 2 * sun_r], fill=(255, 255, 255))
    for _ in range(3):  # hills
        x = rng.randint(-200, width)
        draw.ellipse([x, height // 2 - 80, x + 500, height // 2 + 120], fill=dark)
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def make_cover(title, palette_key, seed, size=(960, 540)):
    """A cover as a Wagtail image titled ``title`` (the existing one if there is one),
    stored as an editor's upload is: with its size and hash."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    content = ContentFile(cover_bytes(palette_key, seed, size), name=f"demo-{seed}.jpg")
    image = Image(title=title, file=content)
    compat.set_file_metadata(image)
    image.save()
    return image


def handout_bytes(palette_key, seed):
    """A one-page PDF hand-out (Pillow writes PDF)."""
    dark, light = PALETTES.get(palette_key, PALETTES["news"])
    page = PILImage.new("RGB", (595, 842), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle([40, 40, 555, 110], fill=dark)
    rng = random.Random(seed)
    for y in range(150, 780, 28):
        draw.rectangle([60, y, 60 + rng.randint(300, 475), y + 10], fill=light)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72)
    return buffer.getvalue()


def _chime(seconds, rate, seed):
    """A little melody of decaying notes, as 16-bit mono samples."""
    notes = [523.25, 587.33, 659.25, 783.99, 880.0]
    rng = random.Random(seed)
    melody = [rng.choice(notes) for _ in range(seconds * 2)]
    half = rate // 2  # a note every half second, each decaying from its start
    envelopes = [math.exp(-4 * (offset / half)) for offset in range(half)]
    sin, tau = math.sin, 2 * math.pi
    samples = [
        int(12000 * envelopes[index % half] * sin(tau * melody[index * 2 // rate] * index / rate))
        for index in range(seconds * rate)
    ]
    return struct.pack(f"<{len(samples)}h", *samples)


def _encode_audio(container, stream, samples, rate):
    """Feed 16-bit mono ``samples`` to ``stream`` in the frame size its codec wants."""
    import av

    step = (stream.codec_context.frame_size or 1152) * 2
    for offset in range(0, len(samples), step):
        chunk = samples[offset : offset + step]
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk) // 2)
        frame.planes[0].update(chunk)
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def audio_bytes(seed, seconds=6, rate=22050):
    """A short MP3 chime (MP3 plays on every phone, old ones too; a WAV of a 25-minute
    lesson would weigh about 22 MB): 32 kbit/s mono, a few dozen KB."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=rate)
        stream.layout = "mono"
        stream.bit_rate = 32_000
        _encode_audio(container, stream, _chime(seconds, rate, seed), rate)
    return buffer.getvalue()


def video_bytes(palette_key, seed, seconds=8, fps=10, size=(320, 180)):
    """A short MP4 clip drawn frame by frame with Pillow and encoded with PyAV: H.264
    (constrained baseline, yuv420p) and AAC, which every phone plays, iPhones included,
    with the index first (``faststart``) so playback starts before the download ends."""
    import av

    dark, light = PALETTES.get(palette_key, PALETTES["news"])
    width, height = size
    rate = 22050
    # The MP4 muxer rewrites the file to move its index to the front: a real file.
    with tempfile.NamedTemporaryFile(suffix=".mp4") as output:
        with av.open(
            output.name, mode="w", format="mp4", options={"movflags": "+faststart"}
        ) as container:
            stream = container.add_stream("libx264", rate=fps)
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            stream.options = {"profile": "baseline", "preset": "veryfast", "crf": "30"}
            sound = container.add_stream("aac", rate=rate)
            sound.layout = "mono"
            sound.bit_rate = 32_000
            for index in range(seconds * fps):
                frame_image = PILImage.new("RGB", size, light)
                draw = ImageDraw.Draw(frame_image)
                for row in range(height // 2, height, 10):
                    draw.rectangle([0, row, width, row + 5], fill=dark)
                x = int((width + 80) * index / (seconds * fps)) - 40  # the sun crosses the sky
                y = int(height / 2 - 60 * math.sin(math.pi * index / (seconds * fps)))
                draw.ellipse([x - 18, y - 18, x + 18, y + 18], fill=(255, 255, 255))
                frame = av.VideoFrame.from_image(frame_image)
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
            _encode_audio(container, sound, _chime(seconds, rate, seed), rate)
        with open(output.name, "rb") as handle:
            return handle.read()


MAKERS = {
    "cover": lambda row: cover_bytes(row.get("palette", "news"), row["seed"]),
    "handout": lambda row: handout_bytes(row.get("palette", "news"), row["seed"]),
    "audio": lambda row: audio_bytes(row["seed"]),
    "video": lambda row: video_bytes(row.get("palette", "news"), row["seed"]),
}


class MediaListError(ValueError):
    """A line of media.jsonl that says no file to make."""


def read_media_list(path):
    """The rows of a media list, each checked: a relative ``file``, a known ``make`` and
    a ``seed``; a bad line is named with its number."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise MediaListError(
                    f"{path.name} 第 {number} 行不是有效的 JSON：{error.msg}"
                ) from error
            if not isinstance(row, dict):
                raise MediaListError(f"{path.name} 第 {number} 行应是一个 JSON 对象")
            name = Path(str(row.get("file", "")))
            if not row.get("file") or name.is_absolute() or ".." in name.parts:
                raise MediaListError(f"{path.name} 第 {number} 行：file 应为相对路径")
            if row.get("make") not in MAKERS:
                names = "、".join(MAKERS)
                raise MediaListError(f"{path.name} 第 {number} 行：make 应为 {names} 之一")
            if not str(row.get("seed", "")):
                raise MediaListError(f"{path.name} 第 {number} 行缺少 seed")
            rows.append(row)
    return rows


def generate(rows, folder):
    """Write each row's file under ``folder`` (an import's ``--media-dir``)."""
    folder = Path(folder)
    for row in rows:
        target = folder / row["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(MAKERS[row["make"]](row))
    return folder
