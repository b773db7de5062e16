import type { Logger } from '../logger';
import { PicturesBusy } from '../render/picture-pool';

/** A picture of a post with its text alternative; without `png` when it could not be drawn. */
export interface Picture {
  png?: Uint8Array;
  alt: string;
}

/**
 * Draws one picture of a post. A picture that cannot be drawn never costs the post: the failure is
 * logged, with the group and the picture but none of the members' text, and the post goes out with
 * the picture's text alternative instead. So does a picture the picture threads are too busy to
 * draw in time; the pool logs that once per busy spell, not once a picture.
 */
export async function drawPicture(logger: Logger, where: { groupId: number; picture: string }, alt: string, draw: () => Promise<Uint8Array>): Promise<Picture> {
  try {
    return { png: await draw(), alt };
  } catch (error) {
    if (error instanceof PicturesBusy) return { alt };
    logger.error({ err: error, groupId: where.groupId, picture: where.picture }, 'picture could not be drawn');
    return { alt };
  }
}
