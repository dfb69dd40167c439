// Disposables: anything that holds a resource (server, process, watcher, listener) releases it through dispose().

export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Collects disposables and releases them in reverse order of registration. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose();
    } else {
      this.items.push(item);
    }
    return item;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const items = this.items.splice(0).reverse();
    for (const item of items) {
      await item.dispose();
    }
  }
}

export function toDisposable(dispose: () => void | Promise<void>): Disposable {
  return { dispose };
}
