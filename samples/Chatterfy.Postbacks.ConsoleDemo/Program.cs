// Walks through the core SDK the way a bot backend uses it: create a Binomo postback set, mint a click id,
// render the affiliate link, and ingest the postback Binomo sends when the user makes a first deposit.
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Templates;
using Microsoft.Extensions.DependencyInjection;

var services = new ServiceCollection();
services.AddChatterfyPostbacks(options => options.PublicBaseUrl = "https://pb.example.com").UseInMemoryStore();
await using var provider = services.BuildServiceProvider();

var sets = provider.GetRequiredService<PostbackSetService>();
var clicks = provider.GetRequiredService<ClickService>();
var ingestor = provider.GetRequiredService<PostbackIngestor>();
var networks = provider.GetRequiredService<IAffiliateNetworkRegistry>();

// 1. A postback set for Binomo: paste these URLs into Binomo's partner panel.
var set = await sets.CreateAsync(new NewPostbackSet { Name = "Binomo main", NetworkId = NetworkIds.Binomo });
var urls = sets.GetUrls(set);
Console.WriteLine($"Postback set '{set.Name}' ({set.NetworkId}), id {set.Id}");
Console.WriteLine($"  Registration:  {urls.Registration}");
Console.WriteLine($"  First deposit: {urls.FirstDeposit}");
Console.WriteLine($"  Deposit:       {urls.Deposit}");
Console.WriteLine($"  Bare URL:      {urls.Base}");
Console.WriteLine();

// 2. A chat user arrives: mint a click id.
var click = await clicks.CreateAsync(new NewClick
{
    CampaignId = "spring-promo",
    SubjectId = "tg:123456789",
    Fields = new Dictionary<string, string> { ["ad_name"] = "video 1" },
});
Console.WriteLine($"Click id: {click.Id} (campaign {click.CampaignId}, subject {click.SubjectId})");

// 3. The bot sends the affiliate link with the click id in Binomo's click_id parameter.
const string linkTemplate = "https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}&utm_content={{tracker.ad_name}}";
var link = LinkTemplate.Parse(linkTemplate).Render(TemplateValues.ForClick(click));
Console.WriteLine($"Affiliate link: {link.Value}");
var warnings = AffiliateLinkChecker.Check(linkTemplate, networks.GetProfile(set));
Console.WriteLine($"Link check: {(warnings.Count == 0 ? "no warnings" : string.Join("; ", warnings.Select(w => w.Message)))}");
Console.WriteLine();

// 4. The user deposits: Binomo calls the first-deposit URL, appending its own query string.
var postback = new PostbackRequest
{
    Method = "GET",
    Path = $"/api/postbacks/{set.Token}/first-deposit",
    EventSegment = "first-deposit",
    QueryString = $"?click_id={click.Id}&amount=50.00&transaction_id=88123&user_id=991&site_id=12",
};
Console.WriteLine($"Binomo calls: {urls.FirstDeposit}{postback.QueryString}");
var result = await ingestor.IngestAsync(set.Token, postback);
Print(result);

// 5. Binomo retries (it did not see our 200 in time): the retry is recognised, nothing is counted twice.
var retry = await ingestor.IngestAsync(set.Token, postback);
Console.WriteLine($"Retry: {retry.Outcome} (original conversion {retry.ConversionId})");

// 6. A broken postback: the network did not substitute its macro. Refused with a stable code, and logged.
var broken = await ingestor.IngestAsync(set.Token, postback with { QueryString = "?click_id={click_id}&amount=50.00" });
Console.WriteLine($"Broken postback: {broken.Outcome} {broken.Rejection?.Code}: {broken.Rejection?.Message}");

static void Print(PostbackIngestionResult result)
{
    var conversion = result.Conversion!;
    Console.WriteLine($"Parsed conversion: {result.Outcome}, id {result.ConversionId}");
    Console.WriteLine($"  event {conversion.Event.Name}, click {conversion.ClickId}, amount {conversion.Amount} {conversion.Currency}, transaction {conversion.TransactionId}");
    Console.WriteLine($"  attributes {string.Join(", ", conversion.Attributes.Select(a => $"{a.Key}={a.Value}"))}");
    Console.WriteLine($"  received {conversion.ReceivedAt:O}, idempotency key {conversion.IdempotencyKey}");
}
