#!/usr/bin/env python3
"""report.html and a region profile in a real browser (headless Chromium driven by Selenium).

Usage: check_report.py REPORT_FOLDER [--english ENGLISH_REPORT_FOLDER] [--screenshots FOLDER]
Checks: no console errors; every area of every map has a tooltip naming it; a click on a column head sorts the
column (numbers as numbers, again: descending); the filter field searches all rows (paged by 50); at a phone's width
(390 px) nothing runs out of the page sideways, report or profile; printed on A4 (as Chromium prints it to PDF) the
report has at most 40 pages, every table fits the page's width and no id or number breaks over two lines; no code word
of the tables (English) is left in what a reader sees; a profile opens without errors and links back. With --english
(the same edition with `[report] language = "en"`): the report and a profile carry no German word of the report's
own (names from the data excepted), print within 40 pages and fit a phone. Exits 1 listing what failed.
"""
import sys
from pathlib import Path

import base64
import re

from selenium import webdriver
from selenium.webdriver.common.by import By

report = Path(sys.argv[1]).resolve()
shots = Path(sys.argv[sys.argv.index("--screenshots") + 1]).resolve() if "--screenshots" in sys.argv else None
english = Path(sys.argv[sys.argv.index("--english") + 1]).resolve() if "--english" in sys.argv else None
# Words of the report's own German (not of the data: area names, the config's title and sources stay as given).
GERMAN = ("Gebiete", "Einwohner", "Überblick", "Karten", "Tabellen", "Zuordnung", "Aufmerksamkeitsbedarf", "Klassen",
          "Verlauf", "Seite", "Filtern", "Kennzahlen", "Indikator", "Planungsräume", "signifikant", " und ", " nach ",
          " mit ", " der ", " die ", " des ", " von ", " je ", "ähnlich", "Veränderung")
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


options = webdriver.ChromeOptions()
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
# Debian's chromium and chromedriver, named directly: Selenium Manager would look for a driver on the network.
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
try:
    def errors():
        return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]

    driver.get(report.joinpath("report.html").as_uri())
    check(errors() == [], "report.html: no console errors")
    areas = sum(1 for line in open(report / "tables" / "areas.csv", encoding="utf-8")) - 1
    maps = driver.find_elements(By.CSS_SELECTOR, "figure svg")
    titled = driver.execute_script(
        "return Array.from(document.querySelectorAll('figure svg')).map(s => "
        "Array.from(s.querySelectorAll('path')).filter(p => (p.querySelector('title')||{}).textContent).length)")
    check(len(maps) >= 3 and all(n == areas for n in titled), f"every area has a tooltip on each of {len(maps)} maps ({titled})")
    firsts = driver.execute_script("return Array.from(document.querySelectorAll('figure svg')).map(s => "
                                   "(s.querySelector('path title') || {}).textContent || '')")
    check(all("(" in t and ":" in t for t in firsts),
          f"on every map a tooltip names the area, its id and its class or value ({firsts[0]!r}, … {firsts[-1]!r})")

    table = driver.find_elements(By.CSS_SELECTOR, "table.sortable")[0]
    codes = [th.get_attribute("title").split(" · ")[0] for th in table.find_elements(By.CSS_SELECTOR, "th")]
    column = codes.index("population")
    header = table.find_elements(By.CSS_SELECTOR, "th")[column]

    def values():
        return driver.execute_script(
            "return Array.from(arguments[0].tBodies[0].rows).map(r => r.cells[arguments[1]].textContent)", table, column)

    def number(text):
        return float(text.replace("\u202f", "").replace(" ", "").replace(",", "."))

    header.click()
    up = [number(v) for v in values() if v not in ("", ".")]
    header.click()
    down = [number(v) for v in values() if v not in ("", ".")]
    check(up == sorted(up) and down == sorted(down, reverse=True) and up != down,
          f"a click on 'population' sorts it as numbers, a second click descending ({up[:3]} … / {down[:3]} …)")
    box = driver.find_elements(By.CSS_SELECTOR, "input.filter")[0]
    wanted = driver.execute_script("return arguments[0].tBodies[0].rows[0].cells[0].textContent", table)
    box.send_keys(wanted)
    shown = driver.execute_script("return Array.from(arguments[0].tBodies[0].rows).filter(r => r.style.display !== 'none').length", table)
    check(1 <= shown < len(values()), f"the filter keeps the rows with '{wanted}' ({shown} shown)")
    box.clear()
    box.send_keys("12")  # Bezirk 12: beyond the first page of rows
    shown = driver.execute_script("return Array.from(arguments[0].tBodies[0].rows).filter(r => r.style.display !== 'none')"
                                  ".map(r => r.cells[0].textContent)", table)
    check(any(area.startswith("12") for area in shown), f"the filter searches every row, not the page shown ({len(shown)} shown)")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href$='.xlsx'], a[href$='.gpkg']")]
    check(len(links) == 2 and all((report / Path(l).name).exists() for l in links), f"links to the workbook and the GeoPackage ({len(links)})")
    box.clear()
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(shots / "report-desktop.png"))

    driver.set_window_size(390, 844)
    driver.get(report.joinpath("report.html").as_uri())
    overflow = driver.execute_script(
        "var w = document.documentElement.clientWidth;"
        "return [document.documentElement.scrollWidth - w,"
        " Math.max.apply(null, Array.from(document.querySelectorAll('svg')).map(s => s.getBoundingClientRect().right)) - w]")
    check(overflow[0] <= 1 and overflow[1] <= 1, f"at 390 px nothing runs out sideways (page {overflow[0]} px, maps {overflow[1]} px)")
    if shots:
        driver.save_screenshot(str(shots / "report-phone.png"))

    # What a reader sees holds words, not the tables' codes.
    driver.set_window_size(1280, 900)
    driver.get(report.joinpath("report.html").as_uri())
    seen = driver.find_element(By.TAG_NAME, "body").text
    codes = [w for w in ("indicator_missing", "not_eligible", "no trend", "increasing", "decreasing", "hot spot", "cold spot",
                         "no pattern", "mann-kendall", "area_id", "exclusion_reason", "summary_", "status:", "dynamik:",
                         "euclidean", "suppressed", "α =") if w in seen]
    check(codes == [], f"no code word in what a reader sees ({codes})")

    # Printed on A4 portrait (186 mm between the margins: 703 CSS pixels): every table fits, no id or number breaks.
    driver.set_window_size(703, 900)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    fit = driver.execute_script(
        "var w = document.documentElement.clientWidth;"
        "return Math.max.apply(null, Array.from(document.querySelectorAll('table')).filter(t => t.offsetParent)"
        ".map(t => t.getBoundingClientRect().right)) - w")
    check(fit <= 1, f"printed on A4, every table fits the page ({fit:.0f} px over)")
    broken = driver.execute_script(
        "var out = [];"
        "Array.from(document.querySelectorAll('td')).filter(c => c.offsetParent && (!c.classList.contains('t') || c.classList.contains('id')))"
        ".slice(0, 4000).forEach(function(c) {"
        "  if (!c.firstChild) return; var r = document.createRange(); r.selectNodeContents(c);"
        "  if (r.getClientRects().length > 1) out.push(c.textContent); });"
        "return out.slice(0, 5)")
    check(broken == [], f"printed, no id or number breaks over two lines ({broken})")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    check(1 <= pages <= 40, f"report.html prints on at most 40 A4 pages ({pages})")

    driver.set_window_size(1280, 900)
    profile = sorted((report / "profiles").glob("*.html"))[0]
    driver.get(profile.as_uri())
    check(errors() == [] and driver.find_elements(By.CSS_SELECTOR, "table"), f"profile {profile.name}: opens without errors")
    back = driver.find_elements(By.CSS_SELECTOR, "a[href='../report.html']")
    check(len(back) == 1, "the profile links back to the report")
    driver.set_window_size(390, 844)
    driver.get(profile.as_uri())
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 1, f"profile {profile.name} at 390 px: nothing runs out sideways ({overflow} px)")
    driver.set_window_size(1280, 900)
    driver.get(profile.as_uri())
    text = driver.find_element(By.TAG_NAME, "body").text
    check("Einwohner" in text and "\u202f" in text.split("Einwohner")[0][-12:], "the population with a thousands separator")
    if shots:
        driver.save_screenshot(str(shots / "profile.png"))

    if english:
        for page in (english / "report.html", sorted((english / "profiles").glob("*.html"))[0]):
            driver.set_window_size(1280, 900)
            driver.get(page.as_uri())
            seen = driver.find_element(By.TAG_NAME, "body").text
            lang = driver.execute_script("return document.documentElement.lang")
            left = [w for w in GERMAN if w in seen]
            check(errors() == [] and lang == "en" and left == [], f"English {page.name}: lang {lang}, no German word ({left})")
            driver.set_window_size(390, 844)
            driver.get(page.as_uri())
            overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            check(overflow <= 1, f"English {page.name} at 390 px: nothing runs out sideways ({overflow} px)")
        driver.set_window_size(1280, 900)
        driver.get((english / "report.html").as_uri())
        pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        check(1 <= pages <= 40, f"the English report.html prints on at most 40 A4 pages ({pages})")
finally:
    driver.quit()
sys.exit(1 if failures else 0)
