// A fake Facebook Conversions API on 127.0.0.1 for the forwarding walkthrough in docs/forwarding.md. It prints every
// event it accepts (once per event_id, as Meta de-duplicates) and can fail on demand:
//   dotnet run --project samples/Chatterfy.Postbacks.FakeGraph -- [port] [--fail 503]
// Type "fail 503" or "recover" on its console to switch while it runs; Ctrl+C stops it.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Chatterfy.Postbacks.Testing;

var port = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var chosen) ? chosen : 5090;
await using var fake = await FakeConversionsApi.StartAsync(port);
var failIndex = Array.IndexOf(args, "--fail");
if (failIndex >= 0 && failIndex + 1 < args.Length)
{
    fake.FailWith(int.Parse(args[failIndex + 1], CultureInfo.InvariantCulture));
    Console.WriteLine($"Answering every call with {args[failIndex + 1]} until you type 'recover'.");
}

Console.WriteLine($"Fake Conversions API on {fake.BaseUrl} (use it as a facebook-capi rule's graphBaseUrl)");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// `kill` (SIGTERM, e.g. from a script or a container runtime) stops it the same way as Ctrl+C.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var printed = 0;
var commands = Task.Run(async () =>
{
    while (await Console.In.ReadLineAsync(stop.Token) is { } line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["fail", var status] && int.TryParse(status, CultureInfo.InvariantCulture, out var code))
        {
            fake.FailWith(code);
            Console.WriteLine($"Failing with {code}.");
        }
        else if (parts is ["recover"])
        {
            fake.Recover();
            Console.WriteLine("Accepting again.");
        }
    }
});

var indented = new JsonSerializerOptions { WriteIndented = true };
while (!stop.IsCancellationRequested)
{
    try
    {
        await fake.WaitForEventsAsync(printed + 1, TimeSpan.FromSeconds(1), stop.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }

    var events = fake.Events;
    for (; printed < events.Count; printed++)
    {
        var received = events[printed];
        Console.WriteLine($"{received.EventName} event_id={received.EventId} (pixel {received.PixelId}, {received.ApiVersion}; {fake.EventsSent} events sent in {fake.RequestCount} calls so far)");
        Console.WriteLine(JsonSerializer.Serialize(received.Json, indented));
    }
}
