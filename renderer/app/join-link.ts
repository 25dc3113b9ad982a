/** Which start screen a `truhe://` link opens: a team invitation (`truhe://team?…`) "join my team", anything else the guest's join screen. */
export function joinScreenFor(link: string): 'join-team' | 'join' {
  return /^truhe:\/\/team\b/i.test(link.trim()) ? 'join-team' : 'join';
}
