import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Countdown } from '../../src/components/Countdown/Countdown';
import { niceCeil } from '../../src/components/LineChart/LineChart';
import { Pagination } from '../../src/components/Pagination/Pagination';
import { StatusPill } from '../../src/components/StatusPill/StatusPill';

describe('StatusPill', () => {
  it('uses one class per status, and "unknown" without one', () => {
    const { container, rerender } = render(<StatusPill status="failed" />);
    expect(container.firstElementChild?.className).toContain('failed');
    rerender(<StatusPill status={null} />);
    expect(container.firstElementChild?.textContent).toBe('unknown');
    expect(container.firstElementChild?.className).toContain('unknown');
  });
});

describe('Countdown', () => {
  it('counts down to the run time, then shows how late it is', () => {
    const at = '2026-11-29T10:00:00.000Z';
    const t = Date.parse(at);
    const { rerender } = render(<Countdown at={at} now={t - 125_000} />);
    expect(screen.getByText('in 2m 05s')).toBeTruthy();
    rerender(<Countdown at={at} now={t + 1000} />);
    expect(screen.getByText('due now')).toBeTruthy();
    rerender(<Countdown at={at} now={t + 90_000} />);
    expect(screen.getByText('overdue 1m 30s')).toBeTruthy();
  });
});

describe('Pagination', () => {
  it('moves by pages and disables what is out of range', () => {
    const onChange = vi.fn();
    render(<Pagination total={45} limit={20} offset={40} onChange={onChange} />);
    expect(screen.getByText('41–45 of 45')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next ›' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '‹ Prev' }));
    fireEvent.click(screen.getByRole('button', { name: 'First page' }));
    expect(onChange.mock.calls).toEqual([[20], [0]]);
  });
});

describe('niceCeil', () => {
  it('rounds chart maxima up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1.2, 3, 7, 42].map(niceCeil)).toEqual([1, 0.5, 2, 5, 10, 50]);
  });
});
