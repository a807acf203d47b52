using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>The in-memory store's clicks; adding one applies its credit to the conversions that waited for it, under the same lock.</summary>
internal sealed class InMemoryClickStore(InMemoryDatabase db) : ClickStore
{
    protected override ValueTask<int> AddCoreAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var copy = click with { Fields = new Dictionary<string, string>(click.Fields, StringComparer.Ordinal).AsReadOnly() };
        lock (db.Lock)
        {
            if (!db.Clicks.TryAdd(copy.Id, copy))
            {
                throw new InvalidOperationException($"A click with id '{copy.Id}' exists.");
            }

            return new(db.Conversions.Credit(copy.Id, credit));
        }
    }

    protected override ValueTask<SubjectBinding?> BindSubjectCoreAsync(SubjectBindingRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = (request.SubjectId, request.CampaignId);
        lock (db.Lock)
        {
            if (db.SubjectBindings.TryGetValue(key, out var existing))
            {
                return new(new SubjectBinding { SubjectId = request.SubjectId, CampaignId = request.CampaignId, Click = db.Clicks[existing.ClickId], BoundAt = existing.BoundAt });
            }

            Click? click;
            var created = false;
            if (request.ClickId is { } clickId)
            {
                click = db.Clicks.GetValueOrDefault(clickId);
            }
            else
            {
                click = db.Clicks.Values
                    .Where(c => c.SubjectId == request.SubjectId && c.CampaignId == request.CampaignId)
                    .OrderBy(c => c.CreatedAt)
                    .ThenBy(c => c.Id, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (click is null && request.NewClick is { } newClick)
                {
                    click = newClick with { Fields = new Dictionary<string, string>(newClick.Fields, StringComparer.Ordinal).AsReadOnly() };
                    if (!db.Clicks.TryAdd(click.Id, click))
                    {
                        throw new InvalidOperationException($"A click with id '{click.Id}' exists.");
                    }

                    db.Conversions.Credit(click.Id, request.NewClickCredit!);
                    created = true;
                }
            }

            if (click is null)
            {
                return new((SubjectBinding?)null);
            }

            if (click.SubjectId is null)
            {
                click = click with { SubjectId = request.SubjectId };
                db.Clicks[click.Id] = click;
            }

            db.SubjectBindings.Add(key, (click.Id, request.BoundAt));
            return new(new SubjectBinding { SubjectId = request.SubjectId, CampaignId = request.CampaignId, Click = click, BoundAt = request.BoundAt, IsNew = true, ClickCreated = created });
        }
    }

    protected override ValueTask<SubjectClicks> ListSubjectClicksCoreAsync(string subjectId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            var bindings = db.SubjectBindings
                .Where(b => b.Key.SubjectId == subjectId)
                .OrderBy(b => b.Key.CampaignId, StringComparer.Ordinal)
                .Select(b => new SubjectBinding { SubjectId = subjectId, CampaignId = b.Key.CampaignId, Click = db.Clicks[b.Value.ClickId], BoundAt = b.Value.BoundAt })
                .ToList();
            var clicks = db.Clicks.Values
                .Where(c => c.SubjectId == subjectId)
                .OrderByDescending(c => c.CreatedAt)
                .ThenByDescending(c => c.Id, StringComparer.Ordinal)
                .Take(SubjectClicks.MaxClicks)
                .ToList();
            return new(new SubjectClicks { Bindings = bindings, Clicks = clicks });
        }
    }

    protected override ValueTask<Click?> FindCoreAsync(string clickId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Clicks.GetValueOrDefault(clickId));
        }
    }

    protected override ValueTask<bool> ForgetPersonalDataCoreAsync(string clickId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            if (!db.Clicks.TryGetValue(clickId, out var click))
            {
                return new(false);
            }

            db.Clicks[clickId] = click with { IpAddress = null, UserAgent = null };
            return new(true);
        }
    }
}
