import { TokenWindow } from '../../src/upstream/tokenWindow.js';

const BOUNDS = { initial: 8, min: 2, max: 64 };

/** A window with `inFlight` attempts running, all started in its current epoch. */
function filled(window: TokenWindow, inFlight = window.size): TokenWindow {
  window.inFlight = inFlight;
  return window;
}

describe('TokenWindow', () => {
  it('starts at its initial size, clamped to its bounds', () => {
    expect(new TokenWindow(BOUNDS).size).toBe(8);
    expect(new TokenWindow({ initial: 8, min: 1, max: 2 }).size).toBe(2);
    expect(new TokenWindow({ initial: 8, min: 12, max: 64 }).size).toBe(12);
  });

  it('grows by one per answer while the token uses all of it, until the first pushback', () => {
    const window = new TokenWindow(BOUNDS);
    // Each answer frees a slot and the growth adds one: both are taken at once by waiting work.
    for (let i = 0; i < 8; i++) filled(window).answered(0);
    expect(window.size).toBe(16); // one round trip of a full window doubles it
  });

  it('does not grow on answers while the token leaves part of it unused', () => {
    const window = filled(new TokenWindow(BOUNDS), 7);
    for (let i = 0; i < 20; i++) window.answered(0);
    expect(window.size).toBe(8);
  });

  it('never grows past its ceiling', () => {
    const window = new TokenWindow(BOUNDS);
    for (let i = 0; i < 200; i++) filled(window).answered(0);
    expect(window.size).toBe(64);
  });

  it('halves on pushback, then grows by one per window of answers', () => {
    const window = filled(new TokenWindow(BOUNDS), 10);
    window.size = 10;
    expect(window.pushedBack(0)).toBe(10);
    expect(window.size).toBe(5);
    expect(window.epoch).toBe(1);
    filled(window, 5);
    for (let i = 0; i < 4; i++) window.answered(1);
    expect(window.size).toBe(5);
    window.answered(1);
    expect(window.size).toBe(6);
    for (let i = 0; i < 6; i++) filled(window).answered(1);
    expect(window.size).toBe(7);
  });

  it('shrinks once per window: pushback and answers of attempts started before are ignored', () => {
    const window = filled(new TokenWindow(BOUNDS));
    expect(window.pushedBack(0)).toBe(8);
    expect(window.pushedBack(0)).toBeUndefined();
    window.answered(0);
    expect(window.size).toBe(4);
    expect(window.pushedBack(1)).toBe(4);
    expect(window.size).toBe(2);
  });

  it('never shrinks below its floor', () => {
    const window = new TokenWindow({ initial: 3, min: 2, max: 64 });
    expect(window.pushedBack(0)).toBe(3);
    expect(window.size).toBe(2);
    expect(window.pushedBack(1)).toBeUndefined(); // no change to report
    expect(window.size).toBe(2);
  });
});
