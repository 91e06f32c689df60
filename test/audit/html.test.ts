import { expect } from "chai";
import { readFileSync } from "fs";
import path from "path";
import { ethers } from "hardhat";
import { CSV_COLUMNS, auditReport, renderCsv, renderHtml, writeReportFiles, type AuditReport } from "../../src/audit";
import { GovLedger } from "../../src/sdk";
import { demoChain, demoNames } from "./demo-run";

/** Elements that have no end tag in HTML. */
const VOID = new Set(["meta", "br", "hr", "img", "input", "link"]);

/** Every tag closes in order, and no `<` or `>` is left in text (all text is escaped). */
function checkWellFormed(html: string): void {
  const stack: string[] = [];
  const tag = /<!--[\s\S]*?-->|<!DOCTYPE html>|<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*(\/?)>/g;
  let text = "";
  let last = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    text += html.slice(last, m.index);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (!name) continue;
    const lower = name.toLowerCase();
    if (closing) {
      expect(stack.pop(), `</${name}> at ${m.index}`).to.equal(lower);
    } else if (!selfClosing && !VOID.has(lower)) {
      stack.push(lower);
    }
  }
  text += html.slice(last);
  expect(stack, "unclosed elements").to.deep.equal([]);
  expect(text, "text outside tags").to.not.match(/[<>]/);
}

/** RFC 4180 rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(field), (field = ""));
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      [row, field] = [[], ""];
      i++;
    } else field += c;
  }
  return rows;
}

describe("the audit report's files", function () {
  const EVIL = `<Evil & "Co"> 's`;
  const FORMULA = `=HYPERLINK("http://x")`;
  let r: AuditReport;
  let html: string;

  before(async function () {
    const demo = await demoChain();
    const names = demoNames(demo);
    names.set(5n, EVIL); // Greenvolt, the buyer
    names.set(3n, FORMULA); // the university, the seller
    r = await auditReport(await GovLedger.connect(ethers.provider, demo.deployment), { from: 0, to: demo.head, names });
    html = renderHtml(r);
  });

  it("is well-formed HTML with a table per section and a chart as inline SVG", function () {
    checkWellFormed(html);
    for (const section of [
      "organisations",
      "evidence",
      "identity",
      "consortium",
      "achievements",
      "market",
      "licences",
      "settlement",
    ]) {
      expect(html).to.match(new RegExp(`<section id="${section}">\\n<h2>[^<]+</h2>[\\s\\S]*?<table>`), section);
    }
    expect(html.match(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/g)).to.have.lengthOf(4);
    expect(html).to.include("<th>payee DID</th>");
    expect(html).to.include('<td class="n" title="90000000">900,000.00 e-CNY(test)</td>');
    expect(html).to.include('<p class="verdict ok">');
  });

  it("needs nothing from outside: no script, style sheet, image or link", function () {
    expect(html).to.not.match(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    // The only URLs: the SVG namespace, and the text of the name that pretends to be a link.
    const urls = html.match(/https?:\/\/[^\s"<&]+/g)!.filter((u) => u !== "http://x");
    expect(urls).to.deep.equal(Array(4).fill("http://www.w3.org/2000/svg"));
  });

  it("escapes organisation names, in tables and in charts alike", function () {
    expect(html).to.not.include("<Evil");
    const escaped = "&lt;Evil &amp; &quot;Co&quot;&gt; &#39;s";
    expect(html).to.include(`<td>${escaped}</td>`);
    expect(html).to.include(`class="label">${escaped}<title>${escaped}</title></text>`);
    expect(html).to.include(`=HYPERLINK(&quot;http://x&quot;)`);
  });

  it("writes one tidy CSV row per figure, quoting names and defusing formulas", function () {
    const rows = parseCsv(renderCsv(r));
    expect(rows[0]).to.deep.equal([...CSV_COLUMNS]);
    for (const row of rows) expect(row, row.join(",")).to.have.lengthOf(CSV_COLUMNS.length);
    const greenvolt = rows.filter((row) => row[0] === "organisation" && row[1] === EVIL);
    expect(greenvolt.find((row) => row[2] === "acts.settlement")?.[3]).to.equal("6");
    expect(rows.find((row) => row[0] === "listing" && row[2] === "lister")?.[4]).to.equal(`'${FORMULA}`);
    const text = renderCsv(r);
    expect(text).to.include(`"<Evil & ""Co""> 's"`);
    const mismatches = rows.filter((row) => row[0] === "mismatch");
    expect(mismatches).to.deep.equal([]);
  });

  it("writes the three files to a directory it creates (out/audit/demo, kept for inspection)", function () {
    const dir = path.join("out", "audit", "demo");
    const files = writeReportFiles(r, dir);
    expect(files).to.deep.equal({
      html: path.resolve(dir, "report.html"),
      csv: path.resolve(dir, "report.csv"),
      json: path.resolve(dir, "report.json"),
    });
    expect(readFileSync(files.html, "utf8")).to.equal(html);
    expect(JSON.parse(readFileSync(files.json, "utf8")).settlement.tokens[0].escrow.withdrawn).to.deep.equal({
      value: "90000000",
      display: "900000.00 e-CNY(test)",
    });
  });
});
