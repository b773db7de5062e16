import type { Logger } from '../logger';

/** A picture of a post with its text alternative; without `png` when it could not be drawn. */
export interface Picture {
  png?: Uint8Array;
  alt: string;
}

/**
 * Draws one picture of a post. A picture that cannot be drawn never costs the post: the failure is
 * logged, with the group and the picture but none of the members' text, and the post goes out with
 * the picture's text alternative instead.
 */
export async function drawPicture(logger: Logger, where: { groupId: number; picture: string }, alt: string, draw: () => { png: Uint8Array }): Promise<Picture> {
  try {
    return { png: draw().png, alt };
  } catch (error) {
    logger.error({ err: error, groupId: where.groupId, picture: where.picture }, 'picture could not be drawn');
    return { alt };
  }
}
