using System.Diagnostics;
using System.Text.Json;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

/// <summary>
/// A plugin destination that never answers: each call is recorded, then waits until it is cancelled (the dispatcher
/// stopping). No clock is involved, so a test on a fake clock sees it hang for as long as it likes.
/// </summary>
internal sealed class HangingDestination(HangingDestination.Calls calls) : ForwardingDestination
{
    public const string DestinationId = "hanging";

    public override string Id => DestinationId;

    public override string DisplayName => "Never answers";

    /// <summary>Registers the destination and the <see cref="Calls"/> it reports to.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<Calls>();
        services.AddChatterfyPostbacks().AddForwardingDestination<HangingDestination>(DestinationId);
    }

    public override DestinationProfile CreateProfile(JsonElement settings) => new Profile(calls);

    /// <summary>The calls the destination received: the message ids of each, and how many were cancelled.</summary>
    public sealed class Calls
    {
        private readonly Lock _lock = new();
        private readonly List<IReadOnlyList<string>> _started = [];
        private int _cancelled;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<IReadOnlyList<string>> Started
        {
            get
            {
                lock (_lock)
                {
                    return [.. _started];
                }
            }
        }

        public int Cancelled => Volatile.Read(ref _cancelled);

        /// <summary>Waits, at most <paramref name="timeout"/> of real time, until at least <paramref name="count"/> calls started.</summary>
        public async Task WaitForStartedAsync(int count, TimeSpan timeout)
        {
            using var expired = new CancellationTokenSource(timeout);
            while (true)
            {
                Task changed;
                lock (_lock)
                {
                    if (_started.Count >= count)
                    {
                        return;
                    }

                    changed = _changed.Task;
                }

                await changed.WaitAsync(expired.Token);
            }
        }

        internal void Start(IReadOnlyList<ForwardedConversion> batch)
        {
            lock (_lock)
            {
                _started.Add([.. batch.Select(c => c.MessageId)]);
                _changed.TrySetResult();
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        internal void Cancel() => Interlocked.Increment(ref _cancelled);
    }

    private sealed class Profile(Calls calls) : DestinationProfile
    {
        public override string BatchKey => "all";

        public override bool Forwards(PostbackEvent conversionEvent) => true;

        public override async ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken)
        {
            calls.Start(batch);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                calls.Cancel();
                throw;
            }

            throw new UnreachableException();
        }
    }
}
