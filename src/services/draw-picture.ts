import type { Logger } from '../logger';

/**
 * Draws one picture of a post. A picture that cannot be drawn never costs the post: the failure is
 * logged, with the group and the picture but none of the members' text, and the post goes out
 * without it.
 */
export async function drawPicture<T>(logger: Logger, where: { groupId: number; picture: string }, draw: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await draw();
  } catch (error) {
    logger.error({ err: error, groupId: where.groupId, picture: where.picture }, 'picture could not be drawn');
    return undefined;
  }
}
