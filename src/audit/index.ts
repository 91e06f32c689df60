/**
 * The cross-module audit report: every suite event over a block range, read in pages; activity per
 * organisation; and a settlement ledger reconciled against the chain's balances (docs/audit.md).
 */
export { AuditError, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, auditReport, type AuditOptions } from "./report";
export { REPORT_FILES, checkOutDir, writeReportFiles, type ReportFiles } from "./files";
export { CSV_COLUMNS, renderCsv } from "./csv";
export { renderHtml } from "./html";
export { toJsonText } from "./format";
export type { ScanProgress } from "./scan";
export * from "./types";
