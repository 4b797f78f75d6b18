"""Videos carry a WebVTT captions track: the editor's uploaded file, or one made from the
lesson's transcript where its lines give times."""

import re

import pytest
from wagtail.rich_text import RichText

from lessons import captions
from lessons.models import LessonPage
from tests.support.factories import make_document, make_lesson


def test_timed_transcript_lines_in_the_forms_editors_type():
    html = (
        "<ul><li>00:00 开场</li><li>[01:30] 选种</li><li>（1:02:03.5）收尾</li>"
        "<li>没有时间的一行</li><li>12:7 不是时间</li></ul><p>03:20 — 浸种</p>"
    )
    assert captions.timed_lines(html) == [
        (0.0, "开场"),
        (90.0, "选种"),
        (3723.5, "收尾"),
        (200.0, "浸种"),
    ]


@pytest.mark.django_db
def test_cues_run_until_the_next_line_and_the_last_until_the_stated_length():
    lesson = LessonPage(
        title="t",
        duration_minutes=2,
        body=[
            (
                "outline",
                {
                    "heading": "文字稿",
                    "text": RichText(
                        "<ul><li>00:10 甲</li><li>00:40 乙 <b>&lt;b&gt;</b> --> 丙</li></ul>"
                    ),
                },
            )
        ],
    )
    cues = captions.transcript_cues(lesson)
    assert cues == [(10.0, 40.0, "甲"), (40.0, 120.0, "乙 <b> --> 丙")]
    assert captions.webvtt(cues) == (
        "WEBVTT\n\n1\n00:00:10.000 --> 00:00:40.000\n甲\n\n"
        "2\n00:00:40.000 --> 00:02:00.000\n乙 &lt;b> → 丙\n"
    )


def _video_lesson(title, transcript, captions_document=None):
    video = make_document("视频", content=b"\x1aE\xdf\xa3 webm", name="v.webm")
    return make_lesson(
        title,
        duration_minutes=5,
        body=[
            ("video", {"file": video, "poster": None, "captions": captions_document, "title": ""}),
            ("outline", {"heading": "文字稿", "text": RichText(transcript)}),
        ],
    )


@pytest.mark.django_db
def test_a_timed_transcript_gives_the_video_a_chinese_captions_track(client):
    lesson = _video_lesson("带时间文字稿的课", "<ul><li>00:00 开场</li><li>02:00 讲解</li></ul>")
    page = client.get(lesson.url).content.decode()
    track = re.search(r"<track [^>]*>", page)
    assert track, "no <track> on the video"
    assert 'kind="captions"' in track[0] and 'srclang="zh-Hans"' in track[0]
    src = re.search(r'src="([^"]+)"', track[0])[1]
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    assert response.content.decode() == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:02:00.000\n开场\n\n"
        "2\n00:02:00.000 --> 00:05:00.000\n讲解\n"
    )


@pytest.mark.django_db
def test_an_uploaded_captions_file_wins_and_no_timings_means_no_made_track(client):
    vtt = make_document("字幕", content=b"WEBVTT\n\n", name="zimu.vtt")
    lesson = _video_lesson("上传字幕的课", "<ul><li>00:00 开场</li></ul>", captions_document=vtt)
    tracks = re.findall(r"<track [^>]*>", client.get(lesson.url).content.decode())
    assert len(tracks) == 1 and vtt.url in tracks[0]
    assert client.get(lesson.url + "captions/").status_code == 404

    plain = _video_lesson("没有时间的课", "<ul><li>开场</li></ul>")
    assert "<track" not in client.get(plain.url).content.decode()
    assert client.get(plain.url + "captions/").status_code == 404


@pytest.mark.django_db
@pytest.mark.demo
def test_every_demo_video_lesson_has_a_captions_track_in_both_languages(client):
    for lesson in LessonPage.objects.live().filter(alias_of__isnull=True):
        if any(block.block_type == "video" for block in lesson.body):
            page = client.get(lesson.url).content.decode()
            assert '<track kind="captions"' in page, lesson.url
