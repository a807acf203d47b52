using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>A forwarding rule's filters (<c>events</c>, <c>depositNumber</c>, <c>statuses</c>): stored and shown with the rule, validated, and applied once by the core.</summary>
public sealed class RuleFilterApiTests
{
    private const string Rules = "/api/tracker/forwarding-rules";
    private const string UrlTemplate = "https://tracker.example/pb?cid={{click.id}}&n={{conversion.deposit_number}}";

    [Fact]
    public async Task ShowsARulesFiltersWithCanonicalEventNames_AndNullsForARuleWithout()
    {
        await using var app = await StartAsync();

        var filtered = await app.PostJsonAsync(Rules, $$$"""
            {"campaignId":"spring","destination":"http-postback","settings":{"urlTemplate":"{{{UrlTemplate}}}"},
             "events":["deposit","ftd","first-deposit"],"depositNumber":{"min":2,"max":3},"statuses":["chargeback","approved","chargeback"]}
            """);
        var plain = await app.PostJsonAsync(Rules, $$$"""{"campaignId":"spring","destination":"http-postback","settings":{"urlTemplate":"{{{UrlTemplate}}}"}}""");

        filtered.StatusCode.Should().Be(HttpStatusCode.Created, await filtered.Content.ReadAsStringAsync());
        var id = (await filtered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var rule = await app.Client.GetFromJsonAsync<JsonElement>($"{Rules}/{id}");
        rule.GetProperty("events").EnumerateArray().Select(e => e.GetString()).Should().Equal("deposit", "first-deposit");
        rule.GetProperty("depositNumber").GetRawText().Should().Be("""{"min":2,"max":3}""");
        rule.GetProperty("statuses").EnumerateArray().Select(e => e.GetString()).Should().Equal("chargeback", "approved");
        var other = await plain.Content.ReadFromJsonAsync<JsonElement>();
        other.GetProperty("events").ValueKind.Should().Be(JsonValueKind.Null);
        other.GetProperty("depositNumber").ValueKind.Should().Be(JsonValueKind.Null);
        other.GetProperty("statuses").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [InlineData(""" "events":[] """, "events")]
    [InlineData(""" "events":["deposit","no such event!"] """, "events[1]")]
    [InlineData(""" "depositNumber":{} """, "depositNumber")]
    [InlineData(""" "depositNumber":{"min":0} """, "depositNumber.min")]
    [InlineData(""" "depositNumber":{"max":0} """, "depositNumber.max")]
    [InlineData(""" "depositNumber":{"min":3,"max":2} """, "depositNumber.max")]
    [InlineData(""" "statuses":[] """, "statuses")]
    [InlineData(""" "statuses":["approved","Refund"] """, "statuses[1]")]
    public async Task RefusesAnInvalidFilterNamingTheField(string member, string field)
    {
        await using var app = await StartAsync();

        var response = await app.PostJsonAsync(Rules, $$$"""{"campaignId":"spring","destination":"http-postback","settings":{"urlTemplate":"{{{UrlTemplate}}}"},{{{member}}}}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "forwarding_rule_invalid");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
        (await app.Client.GetFromJsonAsync<JsonElement>(Rules)).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task RefusesAnUnknownMemberOfTheDepositNumberRange()
    {
        await using var app = await StartAsync();

        var response = await app.PostJsonAsync(Rules, $$$"""{"campaignId":"spring","destination":"http-postback","settings":{"urlTemplate":"{{{UrlTemplate}}}"},"depositNumber":{"from":2}}""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ARuleForDepositNumberTwoForwardsOnlyTheSecondDeposit_AndAnEventsFilterAppliesWithTheDestinations()
    {
        await using var app = await StartAsync();
        var set = await app.CreateSetAsync(network: "1win");
        var setId = set.GetProperty("id").GetString();
        var second = await app.PostJsonAsync(Rules, $$$"""
            {"setId":"{{{setId}}}","destination":"http-postback","settings":{"urlTemplate":"{{{UrlTemplate}}}"},"depositNumber":{"min":2,"max":2}}
            """);
        var registrations = await app.PostJsonAsync(Rules, $$$"""
            {"campaignId":"spring","destination":"facebook-capi","settings":{"pixelId":"123456789012345","accessToken":"EAABsecretTOKENvalue1234567890","events":{"deposit":"Purchase","registration":"CompleteRegistration"}},
             "events":["registration"]}
            """);
        second.StatusCode.Should().Be(HttpStatusCode.Created, await second.Content.ReadAsStringAsync());
        registrations.StatusCode.Should().Be(HttpStatusCode.Created, await registrations.Content.ReadAsStringAsync());
        var secondRuleId = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var registrationsRuleId = (await registrations.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var click = await app.CreateClickAsync("spring");

        var ids = new List<string>();
        foreach (var (kind, tid) in new[] { ("registration", "R-1"), ("firstDeposit", "F-1"), ("deposit", "D-1"), ("deposit", "D-2") })
        {
            using var answer = await app.Client.GetAsync($"{TestApp.PathOf(set, kind).Split('?')[0]}?clickid={click}&amount=10&tid={tid}");
            answer.StatusCode.Should().Be(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
            ids.Add((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversionId").GetString()!);
        }

        var outbox = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/outbox");
        outbox.GetProperty("items").EnumerateArray()
            .Select(m => (m.GetProperty("ruleId").GetString(), m.GetProperty("conversionId").GetString()))
            .Should().BeEquivalentTo(new[] { (secondRuleId, ids[2]), (registrationsRuleId, ids[0]) },
                "deposit number 2 is the first repeat deposit; the campaign's Meta rule forwards registrations only, though its destination maps deposits too");
    }

    [Fact]
    public async Task ARuleWithStatusesForwardsTheChargeback_AndARuleWithoutForwardsOnlyTheApproval()
    {
        await using var app = await StartAsync();
        var set = await app.CreateSetAsync(network: "1win");
        var setId = set.GetProperty("id").GetString();
        var chargebacks = await app.PostJsonAsync(Rules, $$$"""
            {"setId":"{{{setId}}}","destination":"http-postback","settings":{"urlTemplate":"{{{UrlTemplate}}}"},"statuses":["chargeback"]}
            """);
        var approvals = await app.PostJsonAsync(Rules, $$$"""{"setId":"{{{setId}}}","destination":"http-postback","settings":{"urlTemplate":"https://other.example/pb?cid={{click.id}}"}}""");
        chargebacks.StatusCode.Should().Be(HttpStatusCode.Created, await chargebacks.Content.ReadAsStringAsync());
        approvals.StatusCode.Should().Be(HttpStatusCode.Created, await approvals.Content.ReadAsStringAsync());
        var chargebacksRuleId = (await chargebacks.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var approvalsRuleId = (await approvals.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var click = await app.CreateClickAsync("spring");

        string? conversionId = null;
        foreach (var status in new[] { "pending", "approved", "chargeback" })
        {
            using var answer = await app.Client.GetAsync($"{TestApp.PathOf(set, "firstDeposit").Split('?')[0]}?clickid={click}&amount=10&tid=F-1&status={status}");
            answer.StatusCode.Should().Be(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
            conversionId ??= (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversionId").GetString();
        }

        var outbox = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/outbox");
        outbox.GetProperty("items").EnumerateArray()
            .Select(m => (m.GetProperty("ruleId").GetString(), m.GetProperty("conversionId").GetString()))
            .Should().BeEquivalentTo(new[] { (approvalsRuleId, conversionId), (chargebacksRuleId, conversionId) },
                "the rule without statuses forwards the approval once; the chargeback rule forwards the chargeback only");
    }

    // No DNS in tests: private networks allowed skips the lookup. The dispatcher stays off: the outbox is what is asserted.
    private static Task<TestApp> StartAsync() =>
        TestApp.StartAsync(postbacks: b => b.AddForwarding(o =>
        {
            o.Dispatcher.Enabled = false;
            o.AllowPrivateNetworks = true;
        }));
}
