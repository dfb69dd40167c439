// Template parameter values the user gave (for parameters without Default), remembered per workspace (workspace state).
import type * as vscode from 'vscode';

const STATE_KEY = 'lambdaWorkbench.templateParameters';

type Remembered = Record<string, Record<string, string>>;

export class RememberedParameters {
  constructor(private readonly state: vscode.Memento) {}

  /** The values given for one template's parameters. */
  valuesFor(templatePath: string): Record<string, string> {
    return { ...this.all()[templatePath] };
  }

  /** Every template's values in one map (readers that take one map for all templates); the first template's win. */
  merged(): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const values of Object.values(this.all())) {
      for (const [name, value] of Object.entries(values)) merged[name] ??= value;
    }
    return merged;
  }

  async remember(templatePath: string, values: Record<string, string>): Promise<void> {
    await this.state.update(STATE_KEY, { ...this.all(), [templatePath]: { ...this.all()[templatePath], ...values } });
  }

  /** Forgets every value; resolves with how many there were. */
  async clear(): Promise<number> {
    const count = Object.values(this.all()).reduce((sum, values) => sum + Object.keys(values).length, 0);
    await this.state.update(STATE_KEY, undefined);
    return count;
  }

  private all(): Remembered {
    return this.state.get<Remembered>(STATE_KEY) ?? {};
  }
}
