/* SPDX-License-Identifier: GPL-2.0-or-later */
/* true: a static program that does nothing, so that a tool's peak RSS is
 * the tool's, not that of the program it runs. */
int main(void)
{
	return 0;
}
