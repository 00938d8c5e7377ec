// What coverage and profiles are computed from: translated blocks of guest code and how often each ran.

/**
 * A translated block: `bytes` of code from `vaddr` holding `instructions` instructions, run `executions` times
 * (the plugin's CountedBlock has this shape). QEMU may translate the same code again (after a flush, or from a
 * jump into a block's middle): each translation is a block of its own, and an address ran as often as all the
 * blocks holding it did.
 */
export interface BlockCount {
  vaddr: bigint;
  bytes: number;
  instructions: number;
  executions: number;
}
