import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import path from "path";
import { renderCsv } from "./csv";
import { toJsonText } from "./format";
import { renderHtml } from "./html";
import { AuditError } from "./report";
import type { AuditReport } from "./types";

/** The three files of a report, by kind. */
export interface ReportFiles {
  html: string;
  csv: string;
  json: string;
}

export const REPORT_FILES = { html: "report.html", csv: "report.csv", json: "report.json" } as const;

/**
 * Checks, before any work, that the report can be written to `dir`: an existing writable directory,
 * or a path whose nearest existing ancestor is one (the directory is then created when writing).
 */
export function checkOutDir(dir: string): void {
  let at = path.resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Not there (or under a file): look at its parent, which will hold the directory.
      const missing = code === "ENOENT" || code === "ENOTDIR";
      if (!missing || path.dirname(at) === at) throw unwritable(dir, code ?? (e as Error).message);
      at = path.dirname(at);
      continue;
    }
    if (!isDir) throw unwritable(dir, `${at} is not a directory`);
    try {
      accessSync(at, constants.W_OK);
    } catch {
      throw unwritable(dir, `${at} is not writable`);
    }
    return;
  }
}

/**
 * Writes report.html, report.csv and report.json to `dir` (created if needed). Each file is written
 * under a temporary name and renamed, so a failure leaves no half-written report.
 */
export function writeReportFiles(report: AuditReport, dir: string): ReportFiles {
  checkOutDir(dir);
  const out = path.resolve(dir);
  const texts = { html: renderHtml(report), csv: renderCsv(report), json: toJsonText(report) };
  const files = {
    html: path.join(out, REPORT_FILES.html),
    csv: path.join(out, REPORT_FILES.csv),
    json: path.join(out, REPORT_FILES.json),
  };
  const temporary = (file: string) => `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(out, { recursive: true });
    for (const kind of ["html", "csv", "json"] as const) writeFileSync(temporary(files[kind]), texts[kind]);
    for (const kind of ["html", "csv", "json"] as const) renameSync(temporary(files[kind]), files[kind]);
  } catch (e) {
    for (const kind of ["html", "csv", "json"] as const) rmSync(temporary(files[kind]), { force: true });
    throw unwritable(dir, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  return files;
}

function unwritable(dir: string, why: string): AuditError {
  return new AuditError(`cannot write the report to "${dir}" (${why}): choose a writable directory`);
}
