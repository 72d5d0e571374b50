import { render } from 'preact';
import { App } from './app';
import { takeSession } from './session/session';
import './styles.css';

// Read the token from the fragment and take it out of the address bar before anything else runs.
const session = takeSession(window);
render(<App session={session} />, document.getElementById('app')!);
