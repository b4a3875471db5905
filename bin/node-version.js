// Which Node runs minutebar: its TypeScript runs as is, by type stripping, on by default from 22.18 and 23.6.
// Plain JavaScript, so an older Node gets this message instead of "Unknown file extension .ts".

/** Why this Node cannot run minutebar, or undefined when it can. */
export const unsupportedNode = (version) => {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number)
  const strips = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18)
  return strips
    ? undefined
    : `minutebar needs Node >= 22.18 (it runs its TypeScript as is, by Node's type stripping); this is Node ${version}`
}
