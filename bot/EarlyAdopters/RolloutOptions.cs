using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// The middleware stacks and the component catalogue the bot starts with (configuration section <c>Rollout</c>).
/// The catalogue then grows in the database; configuration only ever adds to it.
/// </summary>
public sealed class RolloutOptions : IValidatableObject
{
    public const string Section = "Rollout";

    /// <summary>Used when <c>Rollout:Stacks</c> is not configured (seed 002 §3.1 mailing lists plus community).</summary>
    public static readonly IReadOnlyList<string> DefaultStacks = ["arc", "glite", "globus", "unicore", "opstools", "community"];

    /// <summary>Stack names; a site and every component belong to one.</summary>
    public List<string> Stacks { get; set; } = [];

    /// <summary>Components put into the catalogue at start-up when missing.</summary>
    public List<ComponentSeed> Components { get; set; } = [];

    public bool IsStack(string? name) => name is not null && Stacks.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The configured spelling of a stack name typed in any case.</summary>
    public string? FindStack(string? name) =>
        name is null ? null : Stacks.FirstOrDefault(s => string.Equals(s, name.Trim(), StringComparison.OrdinalIgnoreCase));

    public string StackList => string.Join(", ", Stacks);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Stacks.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Stacks[i]) || Stacks[i].Any(char.IsWhiteSpace))
                yield return new($"Rollout:Stacks:{i} must be one word, got '{Stacks[i]}'.");
        }
        foreach (var duplicate in Stacks.GroupBy(s => s, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            yield return new($"Rollout:Stacks lists '{duplicate.Key}' twice.");
        for (var i = 0; i < Components.Count; i++)
        {
            var component = Components[i];
            if (string.IsNullOrWhiteSpace(component.Name))
                yield return new($"Rollout:Components:{i}:Name is missing.");
            if (!IsStack(component.Stack))
                yield return new($"Rollout:Components:{i}:Stack '{component.Stack}' is not one of Rollout:Stacks ({StackList}).");
        }
        foreach (var duplicate in Components.GroupBy(c => c.Name?.Trim() ?? "", StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            yield return new($"Rollout:Components names '{duplicate.Key}' twice.");
    }
}

/// <summary>One configured component: <c>Rollout:Components:N:Name</c> and <c>Rollout:Components:N:Stack</c>.</summary>
public sealed class ComponentSeed
{
    public string Name { get; set; } = "";
    public string Stack { get; set; } = "";
}
