namespace Chatterfy.Postbacks.Templates;

/// <summary>What a link template does with a macro that no value source knows.</summary>
public enum UnknownMacroBehavior
{
    /// <summary>Keep the macro text as written and report it in <see cref="LinkRenderResult.UnknownMacros"/>.</summary>
    LeaveAsIs,

    /// <summary>Replace the macro with nothing and report it.</summary>
    Empty,

    /// <summary>Throw an <see cref="UnknownMacroException"/>.</summary>
    Throw,
}
