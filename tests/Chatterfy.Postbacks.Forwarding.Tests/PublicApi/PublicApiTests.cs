using Chatterfy.Postbacks.Tests.Approvals;
using PublicApiGenerator;

namespace Chatterfy.Postbacks.Forwarding.Tests.PublicApi;

public sealed class PublicApiTests
{
    // A change to this file is a change to what users compile against: review it like a release note.
    [Fact]
    public void PublicApi_ChatterfyPostbacksForwarding_MatchesApprovedFile()
    {
        var api = typeof(OutboxDispatcher).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],

            // The AddForwarding extensions live in Microsoft.Extensions.DependencyInjection, which the generator skips by default.
            AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"],
        });

        Approver.Verify(api, "Chatterfy.Postbacks.Forwarding");
    }
}
