"""Headless Chromium for tests, driven by selenium through Debian's chromedriver (no download).

    browser = Browser.start()        # raises BrowserUnavailable (tests skip on it)
    browser.open(path)               # a file:// page
    browser.quit()

`.ci/chromium.sh` installs `chromium` and `chromium-driver`. PIPELINE_TEST_CHROMIUM and
PIPELINE_TEST_CHROMEDRIVER name other binaries. `png_pixels` decodes a screenshot with zlib alone.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path


class BrowserUnavailable(RuntimeError):
    """No chromium, no chromedriver or no selenium here."""


def _binary(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    def __init__(self, driver):
        self.driver = driver

    @classmethod
    def start(cls, width: int = 1400, height: int = 1000) -> Browser:
        try:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service
        except ImportError as e:
            raise BrowserUnavailable(f"selenium is not installed ({e}): `make install` installs it") from e
        chromium = _binary("PIPELINE_TEST_CHROMIUM", "chromium", "chromium-browser")
        driver_path = _binary("PIPELINE_TEST_CHROMEDRIVER", "chromedriver")
        if not chromium or not driver_path:
            raise BrowserUnavailable(
                "no chromium and chromedriver on PATH: `.ci/chromium.sh` installs Debian's "
                "chromium and chromium-driver"
            )
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in (
            "--headless=new",
            "--no-sandbox",  # root in a container
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--no-first-run",
            f"--window-size={width},{height}",
        ):
            options.add_argument(arg)
        # The driver's path is given, so selenium's manager never looks for (or downloads) one.
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        driver.set_page_load_timeout(120)
        return cls(driver)

    def open(self, path: Path) -> None:
        self.driver.get(Path(path).resolve().as_uri())

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def screenshot_png(self) -> bytes:
        return self.driver.get_screenshot_as_png()

    def quit(self) -> None:
        self.driver.quit()


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            upper_left = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def luminance_stats(png: bytes, step: int = 4) -> tuple[float, int]:
    """(variance of the grey level, number of distinct colours) over every `step`-th pixel."""
    width, height, rows = png_pixels(png)
    channels = len(rows[0]) // width
    greys, colours = [], set()
    for row in rows[::step]:
        for x in range(0, width * channels, channels * step):
            r, g, b = row[x], row[x + 1], row[x + 2]
            greys.append((299 * r + 587 * g + 114 * b) / 1000)
            colours.add((r, g, b))
    mean = sum(greys) / len(greys)
    return sum((v - mean) ** 2 for v in greys) / len(greys), len(colours)
