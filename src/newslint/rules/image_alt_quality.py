from __future__ import annotations

import re
from functools import lru_cache

from ..includes import IncludeTemplates, has_includes, include_images
from ..model import Finding
from ..ruleapi import RUN_STATE, Rule

# Whole alt values that say nothing about the picture (compared after trimming,
# collapsing spaces and case-folding). A number or a date after them
# ("image3", "사진 2", "Screenshot 2024-09-26 at 10 46 56 AM") counts as well.
PLACEHOLDERS: tuple[str, ...] = (
    # English
    "image", "images", "img", "imgs", "photo", "photos", "picture", "pictures", "pic", "pics",
    "screenshot", "screenshots", "screen shot", "screen capture", "screencap", "capture",
    "untitled", "untitled image", "no title", "alt", "alt text", "alt text here", "alternative text",
    "image alt", "image description", "description", "placeholder", "thumbnail", "thumb",
    "graphic", "figure", "fig", "file", "attachment", "null", "none", "undefined", "default",
    "blank", "temp", "tmp", "test",
    # Korean
    "사진", "이미지", "그림", "캡처", "캡쳐", "스크린샷", "스샷", "화면 캡처", "화면캡처", "화면 캡쳐",
    "화면캡쳐", "첨부", "첨부 이미지", "첨부이미지", "첨부 파일", "첨부파일", "썸네일", "대체 텍스트",
    "대체텍스트", "제목 없음", "제목없음", "무제", "이미지 설명", "사진 설명", "그림 설명",
)

# What may follow a placeholder word: numbers, dates and times.
_NUMBERED_TAIL = r"[\s\d_\-.:,()#/]*(?:\s(?:at|am|pm|오전|오후)(?![a-z])[\s\d_\-.:,()#/]*)*"
_IMAGE_EXT = re.compile(r"\.(?:png|jpe?g|jpe|jfif|gif|webp|svg|bmp|tiff?|heic|heif|avif|ico)$", re.I)
# Camera and messenger file names without their extension: IMG_1234, DSC01234,
# PXL_20240101_093000123, KakaoTalk_20240101_093000123.
_CAMERA = re.compile(r"(?:img|dsc[nf]?|pxl|mvimg|gopr|dji|kakaotalk(?:_photo)?|screenshot)[_\-]?\d{3,}[\w\-.~]*", re.I)
_URL = re.compile(r"(?:https?:)?//\S+|www\.\S+", re.I)
_WS = re.compile(r"\s+")


@lru_cache(maxsize=16)
def _placeholder_re(extra: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({_WS.sub(" ", w.strip().casefold()) for w in PLACEHOLDERS + extra if w.strip()}, key=len, reverse=True)
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in words)
    return re.compile(rf"(?:{alternation}){_NUMBERED_TAIL}", re.I)


def alt_problem(alt: str, max_length: int, extra: tuple[str, ...] = ()) -> str | None:
    """Why an alt text is poor, or None when it is acceptable (or empty)."""
    value = _WS.sub(" ", alt.strip())
    if not value or "{{" in value or "{%" in value:
        return None
    shown = value if len(value) <= 40 else value[:37] + "..."
    if _IMAGE_EXT.search(value) or _CAMERA.fullmatch(value):
        return f"alt text `{shown}` is a file name: describe what the image shows"
    if _URL.fullmatch(value):
        return f"alt text `{shown}` is a URL: describe what the image shows"
    if _placeholder_re(extra).fullmatch(value.casefold()):
        return f"alt text `{shown}` is a placeholder: describe what the image shows"
    if max_length and len(value) > max_length:
        return (f"alt text is {len(value)} characters long (more than {max_length}): screen readers read it "
                "in one breath; keep it short and put the details in a caption or the text")
    return None


class ImageAltQuality(Rule):
    """Alt text that is a file name, a placeholder, or too long.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reads the alt text of every HTML `<img>` and Markdown image and reports
    it when it is:

    - a file name: `IMG_1234.jpg`, `photo.png`, `스크린샷 2024-01-01.png`, or a
      camera name without extension such as `DSC01234`;
    - a URL;
    - a placeholder, as a whole value after trimming and case-insensitively:
      `image`, `photo`, `picture`, `img`, `screenshot`, `untitled`, `사진`,
      `이미지`, `그림`, `캡처`, ... also with a number or a date after it
      (`image3`, `사진 2`, `Screenshot 2024-09-26 at 10 46 56 AM`);
    - longer than `max_length` characters.

    On a Jekyll site, the alt text an include gives the image it renders
    (`{% include figure.html image="/a.png" alt="사진" %}`, see
    `image-alt-missing`) is read too.

    Short but meaningful text such as `bookingtag 속보` is fine: the rule does
    not judge how good a description is, only whether it is one. Empty alt
    text is `image-alt-missing`'s business.

    ## Why is this bad?
    A screen reader reads the alt text aloud instead of showing the picture.
    "IMG underscore one two three four dot jpg" or "사진" tells the listener
    nothing; a paragraph-long alt cannot be skimmed or skipped.

    ## Example
    ```markdown
    ![스크린샷 2024-01-01.png](/assets/img/dashboard.png)
    <img src="/assets/img/harbour.jpg" alt="사진">
    ```

    ## Use instead
    ```markdown
    ![월별 방문자 수가 3월에 두 배로 뛴 대시보드 그래프](/assets/img/dashboard.png)
    <img src="/assets/img/harbour.jpg" alt="해 질 녘 부산 북항 재개발 구역">
    ```

    ## Options
    - `max_length` (default 150): the longest alt text, in characters, before
      it is reported as too long; 0 turns the length check off.
    - `extra_placeholders` (default `[]`): more whole values to treat as
      placeholders, for example a site's own default alt.
    """

    name = "image-alt-quality"
    code = "NL202"
    severity = "warning"
    tags = ("images", "accessibility")
    options = {"max_length": 150, "extra_placeholders": []}

    @classmethod
    def run_state(cls) -> IncludeTemplates:
        """The site's include files, each read once a run."""
        return IncludeTemplates()

    def check(self, doc, options):
        findings: list[Finding] = []
        max_length = int(options.get("max_length") or 0)
        extra = options.get("extra_placeholders") or ()
        extra = tuple(map(str, extra)) if extra else ()
        imgs = doc.html.find_all("img")
        images = doc.markdown.images
        jekyll = has_includes(doc.site)  # include_images finds nothing elsewhere: not called there
        if not (imgs or images or jekyll):
            return findings  # no image: most posts
        for el in imgs:
            alt = el.get("alt")
            if not alt:
                continue
            problem = alt_problem(alt, max_length, extra)
            if problem is None:
                continue
            attr = next((a for a in el.attr_spans() if a.name == "alt"), None)
            if attr is None:  # pragma: no cover - the parser saw it, so the raw tag has it
                continue
            findings.append(Finding(attr.value_start, attr.value_end, problem))
        for im in images:
            if not im.alt:
                continue
            problem = alt_problem(im.alt, max_length, extra)
            if problem is not None:
                findings.append(Finding(im.alt_start, im.alt_end, problem))
        for inc in include_images(doc, options.get(RUN_STATE)) if jekyll else ():
            if inc.alt_state == "given" and inc.alt:
                problem = alt_problem(inc.alt, max_length, extra)
                if problem is not None:
                    findings.append(Finding(inc.alt_start, inc.alt_end, problem))
        if len(findings) > 1:
            findings.sort(key=lambda f: f.start)
        return findings
