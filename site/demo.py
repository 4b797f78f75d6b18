"""Building blocks of ``load_demo``: idempotent page, image and document creation.

Demo content goes through the same APIs editors' actions use (``add_child``,
``save_revision().publish()``), and every helper first looks for what it would create,
so running ``load_demo`` twice changes nothing.
"""

import io
import math
import random
import struct

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from pioneer import compat

PALETTES = {
    "theory": ((155, 28, 28), (241, 196, 83)),
    "skills": ((46, 125, 50), (205, 220, 57)),
    "culture": ((106, 27, 154), (255, 183, 77)),
    "education": ((21, 101, 192), (129, 212, 250)),
    "response": ((230, 81, 0), (255, 236, 179)),
    "news": ((69, 90, 100), (207, 216, 220)),
}


def _create_document(title, content, name):
    """Like an editor's upload: the file's size and hash are recorded with it."""
    document = get_document_model()(title=title, file=ContentFile(content, name=name))
    compat.set_file_metadata(document)
    document.save()
    return document


def _create_image(title, content, name):
    image = get_image_model()(title=title, file=ContentFile(content, name=name))
    compat.set_file_metadata(image)
    image.save()
    return image


def make_cover(title, palette_key, seed, size=(960, 540)):
    """A Wagtail image drawn with Pillow: a landscape of fields under a sun, no text."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
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
    return _create_image(title, buffer.getvalue(), f"demo-{seed}.jpg")


def make_handout(title, palette_key, seed):
    """A one-page PDF hand-out (Pillow writes PDF), as a Wagtail document."""
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    dark, light = PALETTES.get(palette_key, PALETTES["news"])
    page = PILImage.new("RGB", (595, 842), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle([40, 40, 555, 110], fill=dark)
    rng = random.Random(seed)
    for y in range(150, 780, 28):
        draw.rectangle([60, y, 60 + rng.randint(300, 475), y + 10], fill=light)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72)
    return _create_document(title, buffer.getvalue(), f"handout-{seed}.pdf")


def _chime(seconds, rate, seed):
    """A little melody of decaying notes, as 16-bit mono samples."""
    notes = [523.25, 587.33, 659.25, 783.99, 880.0]
    rng = random.Random(seed)
    melody = [rng.choice(notes) for _ in range(seconds * 2)]
    frames = bytearray()
    for index in range(seconds * rate):
        note = melody[index * 2 // rate]
        position = (index % (rate // 2)) / (rate // 2)
        envelope = math.exp(-4 * position)
        sample = int(12000 * envelope * math.sin(2 * math.pi * note * index / rate))
        frames += struct.pack("<h", sample)
    return bytes(frames)


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


def make_audio(title, seed, seconds=6, rate=22050):
    """A short MP3 chime synthesised here (MP3 plays on every phone, old ones too; a WAV
    of a 25-minute lesson would weigh about 22 MB): 32 kbit/s mono, a few dozen KB."""
    import av

    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=rate)
        stream.layout = "mono"
        stream.bit_rate = 32_000
        _encode_audio(container, stream, _chime(seconds, rate, seed), rate)
    return _create_document(title, buffer.getvalue(), f"audio-{seed}.mp3")


def paragraphs_html(texts):
    from django.utils.html import escape

    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def make_video(title, palette_key, seed, seconds=8, fps=10, size=(320, 180)):
    """A short MP4 clip drawn frame by frame with Pillow and encoded with PyAV: H.264
    (constrained baseline, yuv420p) and AAC, which every phone plays, iPhones included,
    with the index first (``faststart``) so playback starts before the download ends."""
    import tempfile

    import av

    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
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
        content = open(output.name, "rb").read()
    return _create_document(title, content, f"video-{seed}.mp4")
