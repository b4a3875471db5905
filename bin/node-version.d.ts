/** Why this Node cannot run minutebar, or undefined when it can. */
export declare const unsupportedNode: (version: string) => string | undefined
