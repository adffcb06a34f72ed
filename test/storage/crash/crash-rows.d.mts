// Types of crash-rows.mjs (the crash test's row definition), for the TypeScript test files.

export declare const MAIN_TABLE: string;
export declare const CTAS_PREFIX: string;
export declare const MAX_BATCH_ID: number;
export declare const MAX_BATCH_ROWS: number;
export declare const COLUMN_NAMES: readonly string[];
export declare const CREATE_MAIN_TABLE: string;
export declare const CREATE_MAIN_KEY: string;
export declare function chkOf(batch: number, seq: number, n: number): number;
export declare function bigOf(batch: number, seq: number): bigint;
export declare function xOf(batch: number, seq: number): number;
export declare function payloadOf(batch: number, seq: number): string | null;
export declare function checkBatchShape(batch: number, n: number): void;
export declare function selectRowsSql(batch: number, n: number, from?: number, to?: number): string;
export declare function rewriteBatchSql(table: string, from: number, to: number): string;
export declare function valuesSql(batch: number, n: number, from?: number, to?: number): string;
export declare function csvRows(batch: number, n: number): string;
export declare function columnArrays(
  batch: number,
  n: number,
): {
  columns: { batch: Int32Array; seq: Int32Array; n: Int32Array; chk: Int32Array; big: Float64Array; x: Float64Array; payload: string[] };
  payloadValid: Uint8Array;
};
