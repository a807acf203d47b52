namespace Chatterfy.Postbacks.Forwarding.HttpPostback;

/// <summary>How an HTTP postback carries its parameters.</summary>
internal enum PostbackBodyFormat
{
    /// <summary>GET: the rendered URL as is.</summary>
    None,

    /// <summary>POST with an <c>application/x-www-form-urlencoded</c> body.</summary>
    Form,

    /// <summary>POST with a JSON object body.</summary>
    Json,
}
