"""Lessons offer media every phone plays (MP4 H.264/AAC, MP3/AAC), the demo's own media
follow that rule, and an editor uploading a WAV (or a WebM, or a video too heavy for 2G)
is told what learners will download and what to do instead."""

import io
import re
import wave

import av
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model

from lessons.models import LessonPage
from pioneer.core import media as media_formats
from pioneer.demo.media import video_bytes
from tests.support.factories import make_document, make_lesson

pytestmark = pytest.mark.django_db


def wav_bytes(seconds=2, rate=8000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x01" * rate * seconds)
    return buffer.getvalue()


def demo_media(kind):
    """The documents of the demo lessons' ``kind`` blocks."""
    found = []
    for lesson in LessonPage.objects.filter(locale__language_code="zh-hans"):
        found += [block.value["file"] for block in lesson.body if block.block_type == kind]
    assert found, kind
    return found


def codecs(document):
    with document.file.open("rb") as handle, av.open(handle) as container:
        return container.format.name, {s.type: s.codec_context.name for s in container.streams}


@pytest.mark.demo
def test_the_demos_video_is_small_h264_and_aac_mp4():
    for document in {d.pk: d for d in demo_media("video")}.values():
        assert document.file.name.endswith(".mp4")
        formats, streams = codecs(document)
        assert "mp4" in formats
        assert streams == {"video": "h264", "audio": "aac"}
        assert document.get_file_size() < 200_000


@pytest.mark.demo
def test_the_demos_audio_is_small_mp3():
    for document in {d.pk: d for d in demo_media("audio")}.values():
        assert document.file.name.endswith(".mp3")
        assert codecs(document)[1] == {"audio": "mp3float"}
        assert document.get_file_size() < 100_000


def test_lesson_pages_announce_mp4_and_mp3_sources(client):
    video = make_document("格式视频", b"\x00" * 64, name="talk.mp4")
    audio = make_document("格式音频", b"\x00" * 64, name="talk.mp3")
    lesson = make_lesson(
        "格式课程",
        body=[
            ("video", {"file": video, "title": ""}),
            ("audio", {"file": audio, "title": ""}),
        ],
    )
    html = client.get(lesson.url).content.decode()
    assert re.search(rf'<source src="{re.escape(video.url)}" type="video/mp4">', html)
    assert re.search(rf'<source src="{re.escape(audio.url)}" type="audio/mpeg">', html)


def test_an_editor_uploading_a_wav_is_told_the_cost_and_what_to_do(admin_client):
    cache.clear()
    upload = SimpleUploadedFile("讲课录音.wav", wav_bytes(), content_type="audio/wav")
    response = admin_client.post("/admin/documents/multiple/add/", {"files[]": upload})
    assert response.status_code == 200
    form = response.json()["form"]
    assert "WAV 是未压缩的音频" in form and "MP3" in form
    assert re.search(r"学员每次播放要下载 31\.3\s*KB，在 2G 网络", form)
    document = get_document_model().objects.get(pk=response.json()["doc_id"])
    page = admin_client.get(f"/admin/documents/edit/{document.pk}/").content.decode()
    assert "WAV 是未压缩的音频" in page and "2G" in page
    # Saving the form is not hindered by the notice.
    saved = admin_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": "讲课录音（改）", "collection": document.collection_id},
    )
    assert saved.status_code == 302


def test_webm_and_heavy_videos_get_advice_and_a_fine_mp4_none(monkeypatch):
    cache.clear()
    webm = make_document("网页视频", b"\x1a\x45\xdf\xa3" + b"\x00" * 100, name="clip.webm")
    assert "iPhone" in media_formats.learner_advice(webm)
    mp4 = make_document("合格视频", video_bytes("skills", 7), name="fine.mp4")  # H.264/AAC, small
    assert media_formats.learner_advice(mp4) is None
    cache.clear()
    monkeypatch.setattr(media_formats, "HEAVY_VIDEO_BPS", 1_000)  # as if it were huge
    assert "480p" in media_formats.learner_advice(mp4)
