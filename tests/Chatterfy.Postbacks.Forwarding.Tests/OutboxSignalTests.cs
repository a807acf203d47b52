using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Forwarding.Tests;

public sealed class OutboxSignalTests
{
    private static readonly AsyncLocal<bool> InThisTest = new();

    [Fact]
    public async Task WaitAsync_PollIntervalPassesWithoutASignal_ReturnsFalseWithoutThrowingInside()
    {
        // The dispatcher waits like this once per poll interval for as long as the host runs: an exception thrown and
        // caught inside every wait shows in the runtime's exception counters as a steady rate of OperationCanceledException.
        using var signal = new OutboxSignal();
        var time = new FakeTimeProvider();
        var thrown = new List<string>();
        void OnFirstChance(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (InThisTest.Value)
            {
                lock (thrown)
                {
                    thrown.Add(e.Exception.GetType().Name + " at " + Environment.StackTrace);
                }
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
        try
        {
            InThisTest.Value = true;
            var waiting = signal.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(1));

            (await waiting).Should().BeFalse();
        }
        finally
        {
            InThisTest.Value = false;
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
        }

        thrown.Should().BeEmpty();
    }

    [Fact]
    public async Task WaitAsync_Signalled_ReturnsTrueBeforeTheInterval()
    {
        using var signal = new OutboxSignal();
        var time = new FakeTimeProvider();

        var waiting = signal.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None);
        signal.Notify();

        (await waiting).Should().BeTrue();
    }

    [Fact]
    public async Task WaitAsync_ManySignalsBeforeTheWait_WakeItOnceThenItWaitsAgain()
    {
        using var signal = new OutboxSignal();
        var time = new FakeTimeProvider();
        signal.Notify();
        signal.Notify();
        signal.Notify();

        (await signal.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None)).Should().BeTrue();

        var second = signal.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None);
        second.IsCompleted.Should().BeFalse("the signals before the first wait were taken by it");
        time.Advance(TimeSpan.FromSeconds(1));
        (await second).Should().BeFalse();
    }

    [Fact]
    public async Task WaitAsync_HostStops_Throws()
    {
        using var signal = new OutboxSignal();
        using var stopping = new CancellationTokenSource();

        var waiting = signal.WaitAsync(TimeSpan.FromSeconds(1), new FakeTimeProvider(), stopping.Token);
        await stopping.CancelAsync();

        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
    }
}
