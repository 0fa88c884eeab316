export {
  PictureCache,
  DEFAULT_PICTURE_LIMITS,
  type PictureAnswer,
  type PictureCacheOptions,
} from './picture-cache';
export {
  checkPictureUrl,
  PUBLIC_PICTURES_ONLY,
  type PicturePolicy,
  type PictureRefusal,
  type PictureType,
} from './picture-policy';
