using System.Text;

namespace Chatterfy.Postbacks.Networks;

/// <summary>
/// Builds the query string of a generated postback URL as text. Names and macros are written as they are: macros must
/// stay literal (<c>{sub1}</c>, never <c>%7Bsub1%7D</c>) because networks replace them textually.
/// </summary>
internal sealed class PostbackQueryBuilder
{
    private readonly StringBuilder _text = new();

    public PostbackQueryBuilder Add(string name, string? macro)
    {
        if (!string.IsNullOrEmpty(macro))
        {
            _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(macro);
        }

        return this;
    }

    public override string ToString() => _text.ToString();
}
