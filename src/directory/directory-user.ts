/** A user as stored in the directory, before the user rules have been checked. */
export interface DirectoryUser {
  id: string;
  /** Shared with presence channel members; null when the directory holds none. */
  userInfo: unknown;
  /** Ids whose online status this user follows, in the stored order. */
  watchlist: string[];
}
