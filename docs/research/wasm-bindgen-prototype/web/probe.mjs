export const probe = 'import map applied';
