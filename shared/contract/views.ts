/*
 * What crosses IPC is the product's data as shared/model.ts defines it
 * (plain data the renderer can show; money in integer cents; never the API key).
 * Services use shared/model.ts directly: they know nothing of IPC.
 */
export * from '../model';
