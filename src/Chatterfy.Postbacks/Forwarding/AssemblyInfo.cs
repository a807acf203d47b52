using System.Runtime.CompilerServices;

// The forwarding tests reach the DNS seam of OutboundUrlPolicy (to simulate rebinding) and a few internal rules.
[assembly: InternalsVisibleTo("Chatterfy.Postbacks.Forwarding.Tests")]
