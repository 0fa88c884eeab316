import { useState } from 'react';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { duplicatePlan, setArchived } from './plan-lifecycle';
import { usePlan } from './plan-store';

/**
 * What the trader can do with the open plan as a whole: copy it, put it away (or
 * bring it back) and delete it. A plan that sold something is history: it can be
 * archived, and main refuses to delete it (the message says so).
 */
export function PlanActions() {
  const draft = usePlan((s) => s.draft)!;
  const [confirmDelete, setConfirmDelete] = useState(false);
  const archived = draft.status === 'archived';
  return (
    <div className="row-actions plan-actions">
      <button type="button" onClick={() => void duplicatePlan(draft.id)}>
        Duplicate
      </button>
      {archived ? (
        <button type="button" onClick={() => void setArchived(draft.id, false)}>
          Restore
        </button>
      ) : (
        draft.status !== 'armed' && (
          <button type="button" onClick={() => void setArchived(draft.id, true)}>
            Archive
          </button>
        )
      )}
      {(draft.status === 'draft' || archived) && (
        <button type="button" className="danger-quiet" onClick={() => setConfirmDelete(true)}>
          Delete
        </button>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete “${draft.name}”?`}
        keepLabel="Keep it"
        confirmLabel="Delete plan"
        onConfirm={() => void usePlan.getState().remove(draft.id)}
        onClose={() => setConfirmDelete(false)}
      >
        <p>
          The plan and its {draft.items.length} items are removed from this computer. Nothing was
          sold from it; a plan that sold something can only be archived.
        </p>
      </ConfirmDialog>
    </div>
  );
}
