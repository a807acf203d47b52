using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Chatterfy.Postbacks.Dashboard.Assets;

/// <summary>
/// Serves the dashboard's stylesheet and script from the package's embedded resources, at <c>assets/{name}</c> under the
/// dashboard: nothing is fetched from another host, so the dashboard works offline.
/// </summary>
internal static class AssetEndpoints
{
    /// <summary>The stylesheet's name.</summary>
    public const string Stylesheet = "dashboard.css";

    /// <summary>The script's name.</summary>
    public const string Script = "dashboard.js";

    private static readonly FrozenDictionary<string, Asset> Assets = new[]
    {
        Load(Stylesheet, "text/css; charset=utf-8"),
        Load(Script, "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>Returns the path of an asset below the dashboard's root, with its version so a new release is fetched.</summary>
    /// <param name="name">The asset's name.</param>
    /// <returns>e.g. <c>assets/dashboard.css?v=1a2b3c4d</c>.</returns>
    public static string Path(string name) => $"assets/{name}?v={Assets[name].Version}";

    /// <summary>Maps <c>assets/{name}</c>; anonymous, as the sign-in page needs its stylesheet.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            if (!Assets.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            var etag = new EntityTagHeaderValue($"\"{asset.Version}\"");
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(asset.Content, asset.ContentType, entityTag: etag);
        }).AllowAnonymous().ExcludeFromDescription();

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(AssetEndpoints).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The dashboard's embedded resource '{name}' is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        return new Asset(name, contentType, content, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }

    private sealed record Asset(string Name, string ContentType, byte[] Content, string Version);
}
