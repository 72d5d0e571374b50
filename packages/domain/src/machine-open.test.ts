import { isMachineOpen } from './machine-open';

/** The one machine-open heuristic, for our pixel and every provider's open and click events. */
describe('isMachineOpen', () => {
  it.each([
    ['Apple MPP', 'Mozilla/5.0'],
    ['no agent', ''],
    ['a scanner', 'Barracuda Sentinel (EE)'],
    ['Microsoft Defender', 'Mozilla/5.0 (compatible; MS-Defender ATP)'],
    ['Symantec MessageLabs', 'MessageLabs link checker'],
    ['Trend Micro', 'Trend Micro InterScan'],
    ['FortiGuard', 'FortiGuard URL filter'],
    ['a crawler', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['a link preview', 'facebookexternalhit/1.1'],
    ['Slack', 'Slackbot-LinkExpanding 1.0'],
    ['a headless browser', 'Mozilla/5.0 HeadlessChrome/120.0'],
    ['curl', 'curl/8.4.0'],
    ['python', 'python-requests/2.31'],
    ["Node's fetch", 'node'],
    ['Java', 'Java/17.0.2'],
    ['Apache HttpClient', 'Apache-HttpClient/4.5.13 (Java/1.8.0)'],
  ])('%s is a machine', (_what, agent) => {
    expect(isMachineOpen(agent)).toBe(true);
  });

  it.each([
    ['Gmail image proxy', 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)'],
    ['Yahoo proxy', 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html'],
    ['Outlook desktop', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)'],
    ['an iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15'],
    ['a word containing java', 'JavaScriptCore mail viewer'],
    ['an agent starting with node', 'NodeMail Reader/2.0 (Windows NT 10.0)'],
  ])('%s is a person', (_what, agent) => {
    expect(isMachineOpen(agent)).toBe(false);
  });

  it('an open within two seconds of acceptance is a scanner, later a person', () => {
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15';
    expect(isMachineOpen(iphone, 1500, 1000)).toBe(true);
    expect(isMachineOpen(iphone, 60_000, 1000)).toBe(false);
  });
});
