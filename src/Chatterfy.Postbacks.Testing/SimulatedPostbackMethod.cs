namespace Chatterfy.Postbacks.Testing;

/// <summary>How a simulated network sends its parameters.</summary>
public enum SimulatedPostbackMethod
{
    /// <summary><c>GET</c> with the parameters in the query string, as almost every network does.</summary>
    Get,

    /// <summary>
    /// <c>POST</c> to the URL without its query; the query's parameters, exactly as they would have been sent, form the
    /// <c>application/x-www-form-urlencoded</c> body.
    /// </summary>
    PostForm,

    /// <summary>
    /// <c>POST</c> to the URL without its query; the query's parameters, decoded, form a flat <c>application/json</c>
    /// object of strings, e.g. <c>{"click_id":"67wgwWkaR0","amount":"50.00"}</c>.
    /// </summary>
    PostJson,
}
