import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { StudioRoot } from './App';
import { useStudio } from './store';
import { startUrlSync } from './store/url-sync';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
startUrlSync(useStudio);
createRoot(root).render(
  <StrictMode>
    <StudioRoot />
  </StrictMode>,
);
