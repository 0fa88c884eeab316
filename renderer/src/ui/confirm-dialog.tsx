import type { ReactNode } from 'react';
import { Dialog } from './dialog';

/**
 * "Are you sure?" for a step that cannot be undone: the safe choice first, the
 * danger button names what happens ("Delete plan", "Remove account").
 */
export function ConfirmDialog({
  open,
  title,
  keepLabel,
  confirmLabel,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  keepLabel: string;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            {keepLabel}
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              onClose();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
