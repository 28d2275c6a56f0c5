// Which build of the core this browser runs. The SIMD build (wasm's 128-bit vector instructions,
// in every browser since 2023) checks UTF-8 sixteen bytes at a time; browsers without them get the
// plain build. Both come from the same source with the same JavaScript glue (the build checks
// that), so only the .wasm file differs.

/** A module of one function using one SIMD instruction: valid only where wasm SIMD is. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export const simd = WebAssembly.validate(SIMD_PROBE);

/** The core's .wasm for this browser, for the glue's `init`. */
export function wasmUrl() {
  return new URL(simd ? './pkg/huitou_simd_bg.wasm' : './pkg/huitou_bg.wasm', import.meta.url);
}
