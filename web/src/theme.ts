import { createTheme } from '@mantine/core';

export const theme = createTheme({
  fontFamily: 'Inter Variable, system-ui, sans-serif',
  headings: { fontFamily: 'Inter Variable, system-ui, sans-serif' },
  primaryColor: 'indigo',
  defaultRadius: 'md',
});
