/*
 * Generated scenarios of the differential VFS test (tests, host side).
 * A group here is the cross product of a few small tables:
 *
 *	objects		what the setup makes, as root (a function each);
 *	path forms	how the call names the object ("x", "x/", "x/y");
 *	actors		who makes the call;
 *	operations	the call: a template of one to three steps.
 *
 * One generic generator, gen_spec(), plays such a set of tables out
 * into scenarios named "prefix/operation/object[/form][/actor]", e.g.
 * "lookup/stat/dangling/slash" or "perm_files/open_w/0644/peer".
 *
 * The host (Linux) is the reference: the calls under test expect
 * X_ANY, the setup steps expect success, so that a setup the host
 * refuses is reported as a wrong scenario rather than compared.
 * Combinations the kernel is known to get wrong are listed in
 * known_bugs[]: they leave their groups for the group "known_bugs_gen",
 * which no test case runs.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "t_diff.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXSTEPS	24	/* of one scenario, with its OP_END */
#define NTMPL		3	/* steps of one operation's template */

/* ------------------------------------------------------------------ */
/* The tables a group is made from.                                    */

/* In an operation's template: the path of the form, and the actor. */
static const char gen_obj[] = "(the object)";
#define OBJ		gen_obj
#define WHO		((enum actor)NACTORS)
#define WHO_UID		(-100)	/* as .n: the uid of the actor */
#define WHO_GID		(-101)	/* as .n2: the gid of the actor */

struct gen;

struct object {
	const char	*name;
	void		(*make)(struct gen *, const struct object *);
	mode_t		mode;		/* for the maker, if it needs them */
	long long	uid, gid;	/* the owner, when not root */
};

struct form {
	const char	*name;		/* NULL: not part of the name */
	const char	*path;
};

struct genop {
	const char	*name;
	struct step	tmpl[NTMPL];	/* up to an OP_END */
};

struct spec {
	const char		*prefix;
	const struct object	*objs;
	size_t			nobjs;
	const struct form	*forms;
	size_t			nforms;
	const enum actor	*actors;
	size_t			nactors;
	const struct genop	*ops;
	size_t			nops;
};

#define SPEC(prefix, objs, forms, actors, ops)				\
	{ prefix, objs, NELEM(objs), forms, NELEM(forms), actors,	\
	    NELEM(actors), ops, NELEM(ops) }

/* ------------------------------------------------------------------ */
/* Known kernel bugs: scenarios moved to the group known_bugs_gen.     */

/*
 * Each entry names scenarios component by component, as the names
 * are made: "a,b" is either of a and b, "*" is anything.  Every entry
 * is a difference the kernel must lose (Linux is the reference); what
 * the host and the kernel answer is in the comment above it.
 */
static const char *const known_bugs[] = {
	NULL		/* none known now */
};

/* Is s (of length slen) one of the comma-separated alts, or is it "*"? */
static bool
alt_match(const char *alts, size_t alen, const char *s, size_t slen)
{
	const char *p, *end = alts + alen, *comma;

	for (p = alts; ; p = comma + 1) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		if ((comma - p == 1 && *p == '*') ||
		    ((size_t)(comma - p) == slen && memcmp(p, s, slen) == 0))
			return true;
		if (comma == end)
			return false;
	}
}

static bool
bug_match(const char *pat, const char *name)
{
	size_t pl, nl;

	for (;;) {
		pl = strcspn(pat, "/");
		nl = strcspn(name, "/");
		if (!alt_match(pat, pl, name, nl))
			return false;
		pat += pl;
		name += nl;
		if (*pat == '\0' || *name == '\0')
			return *pat == *name;
		pat++;
		name++;
	}
}

static bool
is_known_bug(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(known_bugs) && known_bugs[i] != NULL; i++)
		if (bug_match(known_bugs[i], name))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* The generator.                                                      */

/* The scenarios of a group, as they are made. */
struct gen {
	struct scenario	*sc;
	size_t		n, cap;
	bool		bugs;		/* keep the known bugs, not the rest */
	struct step	steps[MAXSTEPS];	/* the scenario being made */
	size_t		nsteps;
};

static const char *const actortags[NACTORS] = {
	[ROOT] = "root", [USER] = "user", [PEER] = "peer",
	[STRANGER] = "stranger",
};
static const long long actor_uid[NACTORS] = {
	[ROOT] = 0, [USER] = UID_USER, [PEER] = UID_PEER,
	[STRANGER] = UID_STRANGER,
};
static const long long actor_gid[NACTORS] = {
	[ROOT] = 0, [USER] = GID_USER, [PEER] = GID_USER,
	[STRANGER] = GID_STRANGER,
};

static void
gen_step(struct gen *g, const struct step *st)
{

	if (g->nsteps == MAXSTEPS - 1)
		atf_tc_fail("t_diff_gen: a scenario of more than %d steps",
		    MAXSTEPS - 1);
	g->steps[g->nsteps++] = *st;
}

/* A step of a setup: made as root, and it must succeed. */
#define SETUP(g, ...)	gen_step((g), &(const struct step){		\
			    .expect = X_SUCCESS, __VA_ARGS__ })

/* An operation's template, with the path and the actor filled in. */
static void
gen_op(struct gen *g, const struct genop *op, const char *path,
    enum actor a)
{
	struct step st;
	int i;

	for (i = 0; i < NTMPL && op->tmpl[i].op != OP_END; i++) {
		st = op->tmpl[i];
		if (st.path == OBJ)
			st.path = path;
		if (st.path2 == OBJ)
			st.path2 = path;
		if (st.as == WHO)
			st.as = a;
		if (st.n == WHO_UID)
			st.n = actor_uid[a];
		if (st.n2 == WHO_GID)
			st.n2 = actor_gid[a];
		gen_step(g, &st);
	}
}

/* The scenario made so far is done: keep it, or drop it. */
static void
gen_end(struct gen *g, const char *name)
{
	struct scenario *nsc;
	struct step *steps;
	char *nm;

	if (is_known_bug(name) != g->bugs) {
		g->nsteps = 0;
		return;
	}
	if (g->n == g->cap) {
		g->cap = g->cap == 0 ? 64 : 2 * g->cap;
		if ((nsc = realloc(g->sc, g->cap * sizeof(*nsc))) == NULL)
			atf_tc_fail("t_diff_gen: out of memory");
		g->sc = nsc;
	}
	/* calloc() makes the OP_END. */
	if ((steps = calloc(g->nsteps + 1, sizeof(*steps))) == NULL ||
	    (nm = strdup(name)) == NULL)
		atf_tc_fail("t_diff_gen: out of memory");
	memcpy(steps, g->steps, g->nsteps * sizeof(*steps));
	g->sc[g->n].name = nm;
	g->sc[g->n].steps = steps;
	g->n++;
	g->nsteps = 0;
}

/* One scenario: the object made, then the operation on it. */
static void
gen_one(struct gen *g, const char *prefix, const struct genop *op,
    const struct object *ob, const struct form *fo, enum actor a)
{
	char name[256];

	snprintf(name, sizeof(name), "%s/%s/%s%s%s%s%s", prefix, op->name,
	    ob->name, fo->name != NULL ? "/" : "",
	    fo->name != NULL ? fo->name : "", a != ROOT ? "/" : "",
	    a != ROOT ? actortags[a] : "");
	if (ob->make != NULL)
		ob->make(g, ob);
	gen_op(g, op, fo->path, a);
	gen_end(g, name);
}

/* Every operation x object x form x actor of one spec. */
static void
gen_spec(struct gen *g, const struct spec *sp)
{
	size_t i, j, k, l;

	for (i = 0; i < sp->nops; i++)
		for (j = 0; j < sp->nobjs; j++)
			for (k = 0; k < sp->nforms; k++)
				for (l = 0; l < sp->nactors; l++)
					gen_one(g, sp->prefix, &sp->ops[i],
					    &sp->objs[j], &sp->forms[k],
					    sp->actors[l]);
}

/* The scenarios of a NULL-terminated list of specs, bugs or not. */
static void
gen_list(struct gen *g, const struct spec *const *specs)
{

	for (; *specs != NULL; specs++)
		gen_spec(g, *specs);
}

static size_t
gen_group(const struct spec *const *specs, struct scenario **out)
{
	struct gen g;

	memset(&g, 0, sizeof(g));
	gen_list(&g, specs);
	*out = g.sc;
	return g.n;
}

/* ------------------------------------------------------------------ */
/* The matrix: every kind of object at "x", as root.                   */

static void
obj_file(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKFILE, .path = "x", .mode = 0644, .data = "data");
}

static void
obj_dir(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKDIR, .path = "x", .mode = 0755);
}

static void
obj_fulldir(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKDIR, .path = "x", .mode = 0755);
	SETUP(g, .op = OP_MKFILE, .path = "x/e", .mode = 0644, .data = "e");
}

static void
obj_symfile(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKFILE, .path = "t", .mode = 0644, .data = "t");
	SETUP(g, .op = OP_SYMLINK, .path = "t", .path2 = "x");
}

static void
obj_symdir(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKDIR, .path = "t", .mode = 0755);
	SETUP(g, .op = OP_SYMLINK, .path = "t", .path2 = "x");
}

static void
obj_dangling(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_SYMLINK, .path = "nowhere", .path2 = "x");
}

static void
obj_loop(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_SYMLINK, .path = "x", .path2 = "x");
}

static void
obj_fifo(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKFIFO, .path = "x", .mode = 0644);
}

static const struct object matrix_objs[] = {
	{ "missing",	NULL,		0, 0, 0 },
	{ "file",	obj_file,	0, 0, 0 },
	{ "dir",	obj_dir,	0, 0, 0 },
	{ "fulldir",	obj_fulldir,	0, 0, 0 },
	{ "symfile",	obj_symfile,	0, 0, 0 },
	{ "symdir",	obj_symdir,	0, 0, 0 },
	{ "dangling",	obj_dangling,	0, 0, 0 },
	{ "loop",	obj_loop,	0, 0, 0 },
	{ "fifo",	obj_fifo,	0, 0, 0 },
};

/* The object itself, with a trailing slash, and as a directory. */
static const struct form matrix_forms[] = {
	{ "plain",	"x" },
	{ "slash",	"x/" },
	{ "below",	"x/y" },
};

static const enum actor root_only[] = { ROOT };

/*
 * Every open of the matrix has O_NONBLOCK: an open of a fifo would
 * wait for a writer otherwise.
 */
static const struct genop lookup_ops[] = {
	{ "stat",	{ { .op = OP_STAT, .path = OBJ } } },
	{ "lstat",	{ { .op = OP_LSTAT, .path = OBJ } } },
	{ "access_x",	{ { .op = OP_ACCESS, .path = OBJ, .n = X_OK } } },
	{ "open",	{ { .op = OP_OPEN, .path = OBJ,
			    .flags = O_RDONLY | O_NONBLOCK } } },
	{ "open_dir",	{ { .op = OP_OPEN, .path = OBJ,
			    .flags = O_RDONLY | O_NONBLOCK | O_DIRECTORY } } },
	{ "open_nofollow", { { .op = OP_OPEN, .path = OBJ,
			    .flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW } } },
	{ "readlink",	{ { .op = OP_READLINK, .path = OBJ, .n = 256 } } },
	{ "chdir",	{ { .op = OP_CHDIR, .path = OBJ },
			  { .op = OP_GETCWD, .n = 4096 } } },
};

static const struct spec lookup_spec =
    SPEC("lookup", matrix_objs, matrix_forms, root_only, lookup_ops);

/*
 * The path names the new name: links and renames take a file "s" (or
 * a directory) made first.
 */
static const struct genop create_ops[] = {
	{ "mkdir",	{ { .op = OP_MKDIR, .path = OBJ, .mode = 0755 } } },
	{ "mkfifo",	{ { .op = OP_MKFIFO, .path = OBJ, .mode = 0644 } } },
	{ "symlink",	{ { .op = OP_SYMLINK, .path = "target",
			    .path2 = OBJ } } },
	{ "link",	{ { .op = OP_MKFILE, .path = "s", .mode = 0644,
			    .data = "s", .expect = X_SUCCESS },
			  { .op = OP_LINK, .path = "s", .path2 = OBJ } } },
	{ "creat",	{ { .op = OP_OPEN, .path = OBJ, .mode = 0644,
			    .flags = O_RDONLY | O_NONBLOCK | O_CREAT } } },
	{ "creat_excl",	{ { .op = OP_OPEN, .path = OBJ, .mode = 0644,
			    .flags = O_RDONLY | O_NONBLOCK | O_CREAT |
			    O_EXCL } } },
	{ "rename",	{ { .op = OP_MKFILE, .path = "s", .mode = 0644,
			    .data = "s", .expect = X_SUCCESS },
			  { .op = OP_RENAME, .path = "s", .path2 = OBJ } } },
};

static const struct genop remove_ops[] = {
	{ "unlink",	{ { .op = OP_UNLINK, .path = OBJ } } },
	{ "rmdir",	{ { .op = OP_RMDIR, .path = OBJ } } },
	{ "unlinkat_dir", { { .op = OP_UNLINKAT, .fd = FD_CWD, .path = OBJ,
			    .flags = AT_REMOVEDIR } } },
	{ "rename_from", { { .op = OP_RENAME, .path = OBJ, .path2 = "n" } } },
	{ "rename_dir_onto", { { .op = OP_MKDIR, .path = "s", .mode = 0755,
			    .expect = X_SUCCESS },
			  { .op = OP_RENAME, .path = "s", .path2 = OBJ } } },
};

static const struct genop attr_ops[] = {
	{ "chmod",	{ { .op = OP_CHMOD, .path = OBJ, .mode = 0600 } } },
	{ "chown",	{ { .op = OP_CHOWN, .path = OBJ, .n = UID_USER,
			    .n2 = GID_USER } } },
	{ "lchown",	{ { .op = OP_LCHOWN, .path = OBJ, .n = UID_USER,
			    .n2 = GID_USER } } },
	{ "truncate",	{ { .op = OP_TRUNCATE, .path = OBJ, .n = 2 } } },
	{ "utimens",	{ { .op = OP_UTIMENSAT, .fd = FD_CWD, .path = OBJ,
			    .n = TIMES_SET } } },
	{ "utimens_nofollow", { { .op = OP_UTIMENSAT, .fd = FD_CWD,
			    .path = OBJ, .n = TIMES_SET,
			    .flags = AT_SYMLINK_NOFOLLOW } } },
};

static const struct spec create_spec =
    SPEC("create", matrix_objs, matrix_forms, root_only, create_ops);
static const struct spec remove_spec =
    SPEC("remove", matrix_objs, matrix_forms, root_only, remove_ops);
static const struct spec attr_spec =
    SPEC("attr", matrix_objs, matrix_forms, root_only, attr_ops);

static const struct spec *const matrix_lookup_specs[] = {
	&lookup_spec, NULL
};
static const struct spec *const matrix_create_specs[] = {
	&create_spec, NULL
};
static const struct spec *const matrix_remove_specs[] = {
	&remove_spec, NULL
};
static const struct spec *const matrix_attr_specs[] = {
	&attr_spec, NULL
};

/* ------------------------------------------------------------------ */
/* Permissions: the owner, a member of its group, and anyone else.     */

static const enum actor nonroot[] = { USER, PEER, STRANGER };

/*
 * A directory "d" of USER (and its group) with the mode of the object,
 * holding a file "d/f" and an empty directory "d/e", both USER's.
 */
static void
obj_permdir(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKDIR, .path = "d", .mode = 0755);
	SETUP(g, .op = OP_MKFILE, .path = "d/f", .mode = 0644, .data = "f");
	SETUP(g, .op = OP_MKDIR, .path = "d/e", .mode = 0755);
	SETUP(g, .op = OP_CHOWN, .path = "d/f", .n = ob->uid, .n2 = ob->gid);
	SETUP(g, .op = OP_CHOWN, .path = "d/e", .n = ob->uid, .n2 = ob->gid);
	SETUP(g, .op = OP_CHOWN, .path = "d", .n = ob->uid, .n2 = ob->gid);
	SETUP(g, .op = OP_CHMOD, .path = "d", .mode = ob->mode);
}

/* A file "f" of USER (and its group) with the mode of the object. */
static void
obj_permfile(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKFILE, .path = "f", .mode = 0644, .data = "data");
	SETUP(g, .op = OP_CHOWN, .path = "f", .n = ob->uid, .n2 = ob->gid);
	SETUP(g, .op = OP_CHMOD, .path = "f", .mode = ob->mode);
}

#define PERMDIR(m)	{ #m, obj_permdir, m, UID_USER, GID_USER }
#define PERMFILE(m)	{ #m, obj_permfile, m, UID_USER, GID_USER }

static const struct object permdir_objs[] = {
	PERMDIR(0777), PERMDIR(0755), PERMDIR(0700), PERMDIR(0770),
	PERMDIR(0711), PERMDIR(0300), PERMDIR(01777),
};

static const struct object permfile_objs[] = {
	PERMFILE(0644), PERMFILE(0600), PERMFILE(0666), PERMFILE(0444),
	PERMFILE(0222), PERMFILE(0000), PERMFILE(0755),
};

/* The names are fixed: the form only says where the object is. */
static const struct form permdir_forms[] = { { NULL, "d" } };
static const struct form permfile_forms[] = { { NULL, "f" } };

static const struct genop permdir_ops[] = {
	{ "creat",	{ { .op = OP_OPEN, .as = WHO, .path = "d/n",
			    .flags = O_WRONLY | O_CREAT | O_EXCL,
			    .mode = 0644 } } },
	{ "mkdir",	{ { .op = OP_MKDIR, .as = WHO, .path = "d/n",
			    .mode = 0755 } } },
	{ "unlink",	{ { .op = OP_UNLINK, .as = WHO, .path = "d/f" } } },
	{ "rmdir",	{ { .op = OP_RMDIR, .as = WHO, .path = "d/e" } } },
	{ "rename",	{ { .op = OP_RENAME, .as = WHO, .path = "d/f",
			    .path2 = "d/g" } } },
	{ "rename_dir",	{ { .op = OP_RENAME, .as = WHO, .path = "d/e",
			    .path2 = "d/g" } } },
	{ "readdir",	{ { .op = OP_OPEN, .as = WHO, .path = OBJ,
			    .flags = O_RDONLY | O_DIRECTORY },
			  { .op = OP_GETDENTS, .as = WHO, .fd = 0,
			    .n = 4096 } } },
	{ "chdir",	{ { .op = OP_CHDIR, .as = WHO, .path = OBJ } } },
	{ "stat_in",	{ { .op = OP_STAT, .as = WHO, .path = "d/f" } } },
	{ "access_w",	{ { .op = OP_ACCESS, .as = WHO, .path = OBJ,
			    .n = W_OK } } },
};

static const struct genop permfile_ops[] = {
	{ "open_r",	{ { .op = OP_OPEN, .as = WHO, .path = OBJ,
			    .flags = O_RDONLY } } },
	{ "open_w",	{ { .op = OP_OPEN, .as = WHO, .path = OBJ,
			    .flags = O_WRONLY } } },
	{ "open_trunc",	{ { .op = OP_OPEN, .as = WHO, .path = OBJ,
			    .flags = O_WRONLY | O_TRUNC } } },
	{ "truncate",	{ { .op = OP_TRUNCATE, .as = WHO, .path = OBJ,
			    .n = 1 } } },
	{ "chmod",	{ { .op = OP_CHMOD, .as = WHO, .path = OBJ,
			    .mode = 0640 } } },
	{ "chown_self",	{ { .op = OP_CHOWN, .as = WHO, .path = OBJ,
			    .n = WHO_UID, .n2 = -1 } } },
	{ "chown_root",	{ { .op = OP_CHOWN, .as = WHO, .path = OBJ,
			    .n = 0, .n2 = -1 } } },
	{ "chgrp_self",	{ { .op = OP_CHOWN, .as = WHO, .path = OBJ,
			    .n = -1, .n2 = WHO_GID } } },
	{ "utimens_null", { { .op = OP_UTIMENSAT, .as = WHO, .fd = FD_CWD,
			    .path = OBJ, .n = TIMES_NULL } } },
	{ "utimens_set", { { .op = OP_UTIMENSAT, .as = WHO, .fd = FD_CWD,
			    .path = OBJ, .n = TIMES_SET } } },
	{ "utimens_now", { { .op = OP_UTIMENSAT, .as = WHO, .fd = FD_CWD,
			    .path = OBJ, .n = TIMES_NOW } } },
	{ "utimens_omit", { { .op = OP_UTIMENSAT, .as = WHO, .fd = FD_CWD,
			    .path = OBJ, .n = TIMES_OMIT } } },
	{ "access_r",	{ { .op = OP_ACCESS, .as = WHO, .path = OBJ,
			    .n = R_OK } } },
	{ "access_w",	{ { .op = OP_ACCESS, .as = WHO, .path = OBJ,
			    .n = W_OK } } },
	{ "access_x",	{ { .op = OP_ACCESS, .as = WHO, .path = OBJ,
			    .n = X_OK } } },
};

static const struct spec permdir_spec =
    SPEC("perm_dirs", permdir_objs, permdir_forms, nonroot, permdir_ops);
static const struct spec permfile_spec =
    SPEC("perm_files", permfile_objs, permfile_forms, nonroot,
    permfile_ops);

static const struct spec *const perm_dirs_specs[] = {
	&permdir_spec, NULL
};
static const struct spec *const perm_files_specs[] = {
	&permfile_spec, NULL
};

/*
 * Sticky directories: "t" with the mode of the object, of root or of
 * USER, holding a file of each of USER, PEER and root and an empty
 * directory of USER.  Only the owner of the entry or of the directory
 * may remove or rename an entry of a sticky directory (EPERM).
 */
static void
obj_sticky(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKDIR, .path = "t", .mode = 0755);
	SETUP(g, .op = OP_MKFILE, .path = "t/u", .mode = 0644, .data = "u");
	SETUP(g, .op = OP_CHOWN, .path = "t/u", .n = UID_USER,
	    .n2 = GID_USER);
	SETUP(g, .op = OP_MKFILE, .path = "t/p", .mode = 0644, .data = "p");
	SETUP(g, .op = OP_CHOWN, .path = "t/p", .n = UID_PEER,
	    .n2 = GID_USER);
	SETUP(g, .op = OP_MKFILE, .path = "t/r", .mode = 0666, .data = "r");
	SETUP(g, .op = OP_CHMOD, .path = "t/r", .mode = 0666);
	SETUP(g, .op = OP_MKDIR, .path = "t/ud", .mode = 0755);
	SETUP(g, .op = OP_CHOWN, .path = "t/ud", .n = UID_USER,
	    .n2 = GID_USER);
	SETUP(g, .op = OP_CHOWN, .path = "t", .n = ob->uid, .n2 = ob->gid);
	SETUP(g, .op = OP_CHMOD, .path = "t", .mode = ob->mode);
}

static const struct object sticky_objs[] = {
	{ "root1777",	obj_sticky,	01777,	0,		0 },
	{ "user1777",	obj_sticky,	01777,	UID_USER,	GID_USER },
	{ "root0777",	obj_sticky,	0777,	0,		0 },
};

static const struct form sticky_forms[] = { { NULL, "t" } };

static const struct genop sticky_ops[] = {
	{ "unlink_u",	{ { .op = OP_UNLINK, .as = WHO, .path = "t/u" } } },
	{ "unlink_p",	{ { .op = OP_UNLINK, .as = WHO, .path = "t/p" } } },
	{ "unlink_r",	{ { .op = OP_UNLINK, .as = WHO, .path = "t/r" } } },
	{ "rename_u",	{ { .op = OP_RENAME, .as = WHO, .path = "t/u",
			    .path2 = "t/n" } } },
	{ "rename_p",	{ { .op = OP_RENAME, .as = WHO, .path = "t/p",
			    .path2 = "t/n" } } },
	{ "rmdir_ud",	{ { .op = OP_RMDIR, .as = WHO, .path = "t/ud" } } },
	{ "replace_u",	{ { .op = OP_MKFILE, .as = WHO, .path = "t/m",
			    .mode = 0644, .data = "m", .expect = X_SUCCESS },
			  { .op = OP_RENAME, .as = WHO, .path = "t/m",
			    .path2 = "t/u" } } },
};

/*
 * Owners and set-id bits: a file "f" of USER, of USER's group or of
 * STRANGER's (which USER is not in), plain or set-id.
 */
static void
obj_owned(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKFILE, .path = "f", .mode = 0644, .data = "data");
	SETUP(g, .op = OP_CHOWN, .path = "f", .n = ob->uid, .n2 = ob->gid);
	SETUP(g, .op = OP_CHMOD, .path = "f", .mode = ob->mode);
}

static const struct object owned_objs[] = {
	{ "g4001",	obj_owned,	0755,	UID_USER,	GID_USER },
	{ "g4003",	obj_owned,	0755,	UID_USER,	GID_STRANGER },
	{ "suid",	obj_owned,	04777,	UID_USER,	GID_USER },
	{ "sgid",	obj_owned,	02777,	UID_USER,	GID_USER },
	{ "sgid_g4003",	obj_owned,	02777,	UID_USER,	GID_STRANGER },
};

static const struct form owned_forms[] = { { NULL, "f" } };

static const struct genop owned_ops[] = {
	{ "chmod_sgid",	{ { .op = OP_CHMOD, .as = WHO, .path = OBJ,
			    .mode = 02755 } } },
	{ "chmod_suid",	{ { .op = OP_CHMOD, .as = WHO, .path = OBJ,
			    .mode = 04755 } } },
	{ "chmod_sticky", { { .op = OP_CHMOD, .as = WHO, .path = OBJ,
			    .mode = 01755 } } },
	{ "chown_noop",	{ { .op = OP_CHOWN, .as = WHO, .path = OBJ,
			    .n = -1, .n2 = -1 } } },
	{ "chgrp_4001",	{ { .op = OP_CHOWN, .as = WHO, .path = OBJ,
			    .n = -1, .n2 = GID_USER } } },
	{ "chgrp_4003",	{ { .op = OP_CHOWN, .as = WHO, .path = OBJ,
			    .n = -1, .n2 = GID_STRANGER } } },
	{ "write",	{ { .op = OP_OPEN, .as = WHO, .path = OBJ,
			    .flags = O_WRONLY },
			  { .op = OP_WRITE, .as = WHO, .fd = 0,
			    .data = "x" } } },
	{ "truncate",	{ { .op = OP_TRUNCATE, .as = WHO, .path = OBJ,
			    .n = 1 } } },
};

/*
 * New entries of a set-group-id directory "g" (of root, group
 * STRANGER's, writable by all) take its group, and directories its
 * set-group-id bit; a file's own set-group-id bit is cleared when
 * the maker is not in that group.
 */
static void
obj_sgiddir(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKDIR, .path = "g", .mode = 0755);
	SETUP(g, .op = OP_CHOWN, .path = "g", .n = ob->uid, .n2 = ob->gid);
	SETUP(g, .op = OP_CHMOD, .path = "g", .mode = ob->mode);
}

static const struct object sgiddir_objs[] = {
	{ "sgid",	obj_sgiddir,	02777,	0,	GID_STRANGER },
	{ "plain",	obj_sgiddir,	0777,	0,	GID_STRANGER },
};

static const struct form sgiddir_forms[] = { { NULL, "g" } };

static const struct genop sgiddir_ops[] = {
	{ "mkdir",	{ { .op = OP_MKDIR, .as = WHO, .path = "g/n",
			    .mode = 0755 } } },
	{ "mkdir_sgid",	{ { .op = OP_MKDIR, .as = WHO, .path = "g/n",
			    .mode = 02755 } } },
	{ "creat",	{ { .op = OP_OPEN, .as = WHO, .path = "g/n",
			    .flags = O_WRONLY | O_CREAT, .mode = 0644 } } },
	{ "creat_sgid",	{ { .op = OP_OPEN, .as = WHO, .path = "g/n",
			    .flags = O_WRONLY | O_CREAT, .mode = 02755 } } },
};

/*
 * Moving a directory "a/s" to another parent rewrites its "..": that
 * takes write permission on it, which staying in "a" does not.
 */
static void
obj_movedir(struct gen *g, const struct object *ob)
{

	SETUP(g, .op = OP_MKDIR, .path = "a", .mode = 0755);
	SETUP(g, .op = OP_CHMOD, .path = "a", .mode = 0777);
	SETUP(g, .op = OP_MKDIR, .path = "b", .mode = 0755);
	SETUP(g, .op = OP_CHMOD, .path = "b", .mode = 0777);
	SETUP(g, .op = OP_MKDIR, .path = "a/s", .mode = 0755);
	SETUP(g, .op = OP_CHOWN, .path = "a/s", .n = ob->uid, .n2 = ob->gid);
	SETUP(g, .op = OP_CHMOD, .path = "a/s", .mode = ob->mode);
}

static const struct object movedir_objs[] = {
	{ "user",	obj_movedir,	0755,	UID_USER,	GID_USER },
	{ "root",	obj_movedir,	0755,	0,		0 },
	{ "root0777",	obj_movedir,	0777,	0,		0 },
};

static const struct form movedir_forms[] = { { NULL, "a/s" } };

static const struct genop movedir_ops[] = {
	{ "rename_across", { { .op = OP_RENAME, .as = WHO, .path = OBJ,
			    .path2 = "b/s" } } },
	{ "rename_within", { { .op = OP_RENAME, .as = WHO, .path = OBJ,
			    .path2 = "a/t" } } },
};

static const struct spec sticky_spec =
    SPEC("sticky", sticky_objs, sticky_forms, nonroot, sticky_ops);
static const struct spec owned_spec =
    SPEC("owner", owned_objs, owned_forms, nonroot, owned_ops);
static const struct spec sgiddir_spec =
    SPEC("sgid_dir", sgiddir_objs, sgiddir_forms, nonroot, sgiddir_ops);
static const struct spec movedir_spec =
    SPEC("move_dir", movedir_objs, movedir_forms, nonroot, movedir_ops);

static const struct spec *const perms_specs[] = {
	&sticky_spec, &owned_spec, &sgiddir_spec, &movedir_spec, NULL
};

/* ------------------------------------------------------------------ */
/* The groups.                                                         */

#define GEN_GROUP(fn, specs)						\
	static size_t							\
	fn(struct scenario **out)					\
	{								\
									\
		return gen_group(specs, out);				\
	}

GEN_GROUP(make_perms, perms_specs)
GEN_GROUP(make_perm_dirs, perm_dirs_specs)
GEN_GROUP(make_perm_files, perm_files_specs)
GEN_GROUP(make_matrix_lookup, matrix_lookup_specs)
GEN_GROUP(make_matrix_create, matrix_create_specs)
GEN_GROUP(make_matrix_remove, matrix_remove_specs)
GEN_GROUP(make_matrix_attr, matrix_attr_specs)

/* Every group's specs, for the known bugs. */
static const struct spec *const *const every_group[] = {
	perms_specs, perm_dirs_specs, perm_files_specs,
	matrix_lookup_specs, matrix_create_specs, matrix_remove_specs,
	matrix_attr_specs,
};

static size_t
make_known_bugs(struct scenario **out)
{
	struct gen g;
	size_t i;

	memset(&g, 0, sizeof(g));
	g.bugs = true;
	for (i = 0; i < NELEM(every_group); i++)
		gen_list(&g, every_group[i]);
	*out = g.sc;
	return g.n;
}

const struct group diff_groups_gen[] = {
	{ "perms",		NULL, 0, make_perms },
	{ "perm_dirs",		NULL, 0, make_perm_dirs },
	{ "perm_files",		NULL, 0, make_perm_files },
	{ "matrix_lookup",	NULL, 0, make_matrix_lookup },
	{ "matrix_create",	NULL, 0, make_matrix_create },
	{ "matrix_remove",	NULL, 0, make_matrix_remove },
	{ "matrix_attr",	NULL, 0, make_matrix_attr },
	{ "known_bugs_gen",	NULL, 0, make_known_bugs },
};
const size_t diff_ngroups_gen = NELEM(diff_groups_gen);
