export const catalogueEntities = [];
