/** Path parameter `id` of /v1/media/{id}: media ids are UUIDs, but any id is looked up (unknown ones are 404). */
export const mediaParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;
