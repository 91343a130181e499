import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { QueueForm } from '../../src/components/QueueForm/QueueForm';
import { rateLabel, validateQueueForm } from '../../src/components/QueueForm/validate-queue';
import { makeQueueConfig } from '../testUtils';

describe('QueueForm', () => {
  it('creates a queue with typed limits', async () => {
    const onSubmit = vi.fn();
    render(<QueueForm queue={null} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'emails');
    await user.clear(screen.getByLabelText('Max concurrent'));
    await user.type(screen.getByLabelText('Max concurrent'), '3');
    await user.type(screen.getByLabelText('Tasks'), '5');
    await user.type(screen.getByLabelText('Window'), '1');
    await user.selectOptions(screen.getByLabelText('Period'), 'minute');
    await user.click(screen.getByRole('button', { name: 'Create queue' }));
    expect(onSubmit).toHaveBeenCalledWith({
      name: 'emails',
      max_concurrent: 3,
      rate_numerator: 5,
      rate_denominator: 1,
      rate_period: 'minute',
    });
  });

  it('shows every problem and sends nothing while the form is invalid', async () => {
    const onSubmit = vi.fn();
    render(<QueueForm queue={null} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), '-bad name');
    await user.clear(screen.getByLabelText('Max concurrent'));
    await user.type(screen.getByLabelText('Max concurrent'), '-1');
    await user.type(screen.getByLabelText('Tasks'), '10');
    await user.click(screen.getByRole('button', { name: 'Create queue' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText(/is not valid \(Queue name/)).toBeTruthy();
    expect(screen.getByText('must be at least 0')).toBeTruthy();
    // Tasks given without window and period: the two missing fields are flagged.
    expect(screen.getAllByText(/set tasks, window and period together/)).toHaveLength(2);
    expect(screen.getByLabelText('Window').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Tasks').getAttribute('aria-invalid')).toBeNull();
  });

  it('edits an existing queue: the name is fixed and clearing a limit sends null', async () => {
    const onSubmit = vi.fn();
    render(
      <QueueForm
        queue={makeQueueConfig('sms', {
          max_concurrent: 4,
          rate_numerator: 2,
          rate_denominator: 10,
          rate_period: 'second',
        })}
        onSubmit={onSubmit}
      />,
    );
    expect(screen.queryByLabelText('Name')).toBeNull();
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Max concurrent'));
    await user.clear(screen.getByLabelText('Tasks'));
    await user.clear(screen.getByLabelText('Window'));
    await user.selectOptions(screen.getByLabelText('Period'), '');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledWith({
      name: 'sms',
      max_concurrent: null,
      rate_numerator: null,
      rate_denominator: null,
      rate_period: null,
    });
  });
});

describe('validateQueueForm / rateLabel', () => {
  it('rejects text where a number belongs', () => {
    const r = validateQueueForm({
      name: 'q',
      max_concurrent: '2.5',
      rate_numerator: '',
      rate_denominator: '',
      rate_period: '',
    });
    expect(r.body).toBeNull();
    expect(r.errors.max_concurrent).toBe('must be a whole number');
  });

  it('labels rate limits for people', () => {
    expect(rateLabel(makeQueueConfig('q', { rate_numerator: 5, rate_denominator: 1, rate_period: 'minute' }))).toBe(
      '5 per minute',
    );
    expect(rateLabel(makeQueueConfig('q', { rate_numerator: 100, rate_denominator: 10, rate_period: 'second' }))).toBe(
      '100 per 10 seconds',
    );
    expect(rateLabel(makeQueueConfig('q'))).toBe('none');
  });
});
