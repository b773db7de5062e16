import type { LocalDate } from './local-date';

/** An article as the group's page lists it. */
export interface PageArticle {
  id: number;
  title: string;
  url: string;
  authorId: number;
  authorName: string;
  announcedAt: number;
  firstHourReads: number;
  laterReads: number;
}

/** Who read an article, and whether in its first hour; names only. */
export interface PageReader {
  memberId: number;
  name: string;
  firstHour: boolean;
  /** Hidden with /privacy (everywhere, or from the page): never shown. */
  hidden: boolean;
}

/** How many members wrote on a day of the group's calendar, and how many words. */
export interface CalendarDay {
  writers: number;
  words: number;
}

export type GroupCalendar = ReadonlyMap<LocalDate, CalendarDay>;

/** A token of at least 128 bits in base64url: 18 random-looking bytes, 24 characters. */
export const PAGE_TOKEN = /^[A-Za-z0-9_-]{24}$/;
/** An opaque member or article id in a page's path: 16 bytes in base64url. */
export const PAGE_REF = /^[A-Za-z0-9_-]{22}$/;
