// Types of segment-crc.js (plain JavaScript, shared with the block threads).
export declare const SEGMENT_BYTES: number;
export declare function segmentCrcs(bytes: Uint8Array): Buffer;
