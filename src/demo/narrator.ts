import { mkdirSync, writeFileSync } from "fs";
import path from "path";

/** One thing that happened in the story, as the JSON report records it. */
export interface DemoStep {
  chapter: string;
  actor: string;
  action: string;
  outcome: "done" | "refused";
  detail: Record<string, unknown>;
}

/**
 * Prints the demo as a readable narrative and keeps every step for the JSON report, so the
 * console story and out/demo-report.json always say the same thing.
 */
export class Narrator {
  private chapter = "";
  private readonly steps: DemoStep[] = [];

  constructor(private readonly print: (line: string) => void = console.log) {}

  begin(title: string, summary: string): void {
    this.chapter = title;
    this.print("");
    this.print(`== ${title} ==`);
    this.print(summary);
  }

  done(actor: string, action: string, detail: Record<string, unknown> = {}): void {
    this.record(actor, action, "done", detail);
  }

  refused(actor: string, action: string, reason: string, detail: Record<string, unknown> = {}): void {
    this.record(actor, action, "refused", { ...detail, reason });
  }

  note(line: string): void {
    this.print(`   ${line}`);
  }

  get report(): DemoStep[] {
    return [...this.steps];
  }

  /** Writes the report as JSON (bigints as decimal strings) and returns its path. */
  write(file: string, extra: Record<string, unknown>): string {
    mkdirSync(path.dirname(file), { recursive: true });
    const json = JSON.stringify(
      { ...extra, steps: this.steps },
      (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
      2,
    );
    writeFileSync(file, json + "\n");
    return file;
  }

  private record(actor: string, action: string, outcome: DemoStep["outcome"], detail: Record<string, unknown>): void {
    this.steps.push({ chapter: this.chapter, actor, action, outcome, detail });
    const mark = outcome === "done" ? "✔" : "✘";
    const why = outcome === "refused" ? ` — refused: ${String(detail.reason)}` : "";
    this.print(` ${mark} ${actor}: ${action}${why}`);
  }
}
