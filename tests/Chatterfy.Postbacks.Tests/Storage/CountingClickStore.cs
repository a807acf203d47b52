using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Storage;

/// <summary>A store's clicks that counts how often a click is read from it.</summary>
internal sealed class CountingClickStore(ClickStore inner) : ClickStore
{
    private int _finds;

    public int Finds => Volatile.Read(ref _finds);

    /// <summary>The storage of <paramref name="storage"/> with these clicks in place of its own.</summary>
    public PostbackStorage Around(PostbackStorage storage) =>
        new(storage.Sets, storage.Campaigns, this, storage.Ingest, storage.Log, storage.Outbox, storage.ForwardingRules, storage.Reconciliations);

    protected override ValueTask<int> AddCoreAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken) =>
        inner.AddAsync(click, credit, cancellationToken);

    protected override ValueTask<Click?> FindCoreAsync(string clickId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _finds);
        return inner.FindAsync(clickId, cancellationToken);
    }

    protected override ValueTask<bool> ForgetPersonalDataCoreAsync(string clickId, CancellationToken cancellationToken) =>
        inner.ForgetPersonalDataAsync(clickId, cancellationToken);

    protected override ValueTask<SubjectBinding?> BindSubjectCoreAsync(SubjectBindingRequest request, CancellationToken cancellationToken) =>
        inner.BindSubjectAsync(request, cancellationToken);

    protected override ValueTask<SubjectClicks> ListSubjectClicksCoreAsync(string subjectId, CancellationToken cancellationToken) =>
        inner.ListSubjectClicksAsync(subjectId, cancellationToken);
}
