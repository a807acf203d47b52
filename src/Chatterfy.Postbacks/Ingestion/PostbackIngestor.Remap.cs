using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Ingestion;

// Status remap: the set's current map applied to stored conversions whose status word was unmapped.
public sealed partial class PostbackIngestor
{
    /// <summary>
    /// Applies the set's current status map to its stored conversions whose status word was unmapped (kept with warning
    /// <c>status_unknown</c>, hence pending): each word the map now knows changes its conversion through the same
    /// compare-and-set as a status postback (a history entry with the word, a log entry with method
    /// <see cref="PostbackRequest.RemapMethod"/> and outcome <c>changed</c>, the roll-ups moved, forwarded on its first
    /// approval). A word now mapped to <c>pending</c>, or to a status pending cannot change to (<c>chargeback</c>), is left
    /// as it is and not counted, as a status postback would ignore it; a conversion another change reached first is not
    /// counted either. A second call remaps 0.
    /// </summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation between conversions.</param>
    /// <returns>The number of conversions changed, or <see langword="null"/> when the set is unknown.</returns>
    /// <exception cref="PostbackStoreUnavailableException">The store cannot read or write now.</exception>
    public async ValueTask<int?> RemapStatusesAsync(string setId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(setId);
        var set = await _setStore.GetAsync(setId, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return null;
        }

        var map = set.StatusMap ?? ConversionStatusMap.Default;
        var remapped = 0;
        string? before = null;
        while (true)
        {
            // Only the set's conversions whose word was unknown, from the store's index of them: the read follows the unknown
            // words, not the set. Newest first, each page strictly older than the previous page's last conversion (receive
            // time, then id). The remap takes conversions out of the filter as it goes, the cursor among them: the cursor
            // still holds its place (the store reads its time whether or not it still matches), and the conversions behind
            // it are not read again, so the pages visit each conversion still unknown once. A conversion a status postback
            // changes before its page is read is no longer listed (the check below would skip it anyway). A word never
            // becomes unknown again (no transition leads to pending), so none joins the filter behind the cursor; one
            // stored meanwhile is newer than the first page and left to the next remap.
            var page = await _appends.Store.ListConversionsAsync(
                new ConversionListQuery { SetId = set.Id, StatusWordUnknown = true, Limit = ConversionListQuery.MaxLimit, BeforeId = before }, cancellationToken).ConfigureAwait(false);
            foreach (var conversion in page)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // A guard: the store listed unknown words only.
                if (conversion is { StatusWordUnknown: true, Status: ConversionStatus.Pending, StatusWord: { } word }
                    && map.TryResolve(word, out var status)
                    && ConversionStatusTransitions.IsAllowed(ConversionStatus.Pending, status)
                    && await RemapAsync(set, conversion, word, status, cancellationToken).ConfigureAwait(false))
                {
                    remapped++;
                }
            }

            if (page.Count < ConversionListQuery.MaxLimit)
            {
                return remapped;
            }

            before = page[^1].Id;
        }
    }

    // One compare-and-set from pending; false when another change won (the conversion is no longer pending: nothing to redo).
    private ValueTask<bool> RemapAsync(PostbackSet set, ConversionRecord target, string word, ConversionStatus status, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var entry = new PostbackLogEntry
        {
            Id = StoreIds.New(_timeProvider),
            ReceivedAt = now,
            SetId = set.Id,
            Request = new PostbackRequest { Method = PostbackRequest.RemapMethod, Path = $"/postback-sets/{set.Id}/statuses/remap" },
            Outcome = PostbackOutcome.Changed,
            ConversionId = target.Id,
        };

        // As for a status postback: the hooks decide (the forwarding rules' status filters: a rule without one forwards the
        // first approval only).
        return TryChangeStatusAsync(set, target, status, word, wordUnknown: false, entry, forward: true, cancellationToken);
    }
}
